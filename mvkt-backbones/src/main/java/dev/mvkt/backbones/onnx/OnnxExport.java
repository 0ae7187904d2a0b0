package dev.mvkt.backbones.onnx;

import dev.mvkt.backbones.EcgNetwork;
import onnx.Onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A network's inference graph as a standard ONNX model, with the input standardisation and the sigmoid inside:
 * <pre>
 *   ecg [batch, leads, samples] (mV)  →  (x − mean) / std  →  folded backbone  →  logits [batch, classes]
 *                                                          →  (× per-class scale)  →  sigmoid  →  probabilities
 * </pre>
 * {@code batch} and {@code samples} are dynamic (every backbone ends in global pooling), {@code leads} is the
 * network's; the ONNX model has the outputs {@code probabilities} and the raw {@code logits}, both
 * {@code [batch, classes]} float32. IR version {@value #IR_VERSION}, opset {@value #OPSET} (ONNX 1.8, run by every
 * ONNX Runtime since 1.6). The optional per-class logit scale is the hook for calibration (a temperature T per class
 * is a scale 1/T); string metadata go into the model's {@code metadata_props}.
 *
 * <p>The graph translated is the network's {@link EcgNetwork#forInference()} snapshot, so batch norms that follow a
 * convolution are already folded into it. {@link Builder#build()} translates it and throws
 * {@link UnsupportedVertexException} for a vertex the exporter does not know; {@link #writeTo} only serialises.
 */
public final class OnnxExport {
    /** ONNX IR version written (IR_VERSION_2020_5_8, ONNX 1.8). */
    public static final long IR_VERSION = 7;
    /** Opset of the default ONNX domain. */
    public static final long OPSET = 13;
    /** Name of the input tensor {@code [batch, leads, samples]}. */
    public static final String INPUT = "ecg";
    /** Name of the output {@code [batch, classes]} of sigmoid probabilities. */
    public static final String PROBABILITIES = "probabilities";
    /** Name of the output {@code [batch, classes]} of raw logits (before any logit scale). */
    public static final String LOGITS = "logits";

    private final Onnx.ModelProto model;

    private OnnxExport(Onnx.ModelProto model) {
        this.model = model;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Writes the serialised model to {@code out} (not closed). */
    public void writeTo(OutputStream out) throws IOException {
        model.writeTo(out);
    }

    /** The serialised model. */
    public byte[] toByteArray() {
        return model.toByteArray();
    }

    /** The metadata written into {@code metadata_props}, by key. */
    public Map<String, String> metadata() {
        Map<String, String> m = new TreeMap<>();
        model.getMetadataPropsList().forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    /**
     * Builder of an {@link OnnxExport}: {@code setNetwork} is required, the rest optional; {@code build()} names any
     * bad value and is not affected by later changes to the builder.
     */
    public static final class Builder {
        private EcgNetwork network;
        private double mean;
        private double std = 1;
        private double[] logitScale;
        private final Map<String, String> metadata = new TreeMap<>();
        private String producerVersion = "";
        private String description = "";

        private Builder() {
        }

        /** The network to export (trained or already folded; a trained one is folded here). */
        public Builder setNetwork(EcgNetwork network) {
            this.network = network;
            return this;
        }

        /** The input standardisation {@code (x − mean) / std} put in front of the network (default 0 and 1: none). */
        public Builder optStandardization(double mean, double std) {
            this.mean = mean;
            this.std = std;
            return this;
        }

        /**
         * Multiplies the logits by one positive factor per class before the sigmoid (a calibration temperature T is
         * a factor 1/T); default none. The {@code logits} output stays unscaled.
         */
        public Builder optLogitScale(double... perClass) {
            this.logitScale = perClass == null ? null : perClass.clone();
            return this;
        }

        /** Adds string pairs to the model's {@code metadata_props} (a key given twice keeps the last value). */
        public Builder optMetadata(Map<String, String> entries) {
            entries.forEach((k, v) -> {
                if (k == null || k.isBlank() || v == null) {
                    throw new IllegalArgumentException("metadata key '" + k + "' is blank or its value is null");
                }
                metadata.put(k, v);
            });
            return this;
        }

        /** The producer version recorded in the model (mvkt's version). */
        public Builder optProducerVersion(String version) {
            this.producerVersion = String.valueOf(version);
            return this;
        }

        /** The model's doc string. */
        public Builder optDescription(String description) {
            this.description = String.valueOf(description);
            return this;
        }

        /**
         * Translates the network.
         *
         * @throws UnsupportedVertexException naming the first vertex that cannot be exported
         * @throws IllegalArgumentException   for a missing network or a bad standardisation or logit scale
         */
        public OnnxExport build() {
            if (network == null) {
                throw new IllegalArgumentException("network is not set (setNetwork)");
            }
            if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
                throw new IllegalArgumentException("standardization needs a finite mean and a positive finite std, "
                        + "got mean=" + mean + " std=" + std);
            }
            EcgNetwork folded = network.forInference();
            Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName(folded.architecture());
            GraphConverter c = new GraphConverter(folded.graph(), g);
            long classes = c.outputWidth();
            if (logitScale != null) {
                if (logitScale.length != classes) {
                    throw new IllegalArgumentException("logit scale has " + logitScale.length + " values for "
                            + classes + " classes");
                }
                for (int i = 0; i < logitScale.length; i++) {
                    if (!(logitScale[i] > 0) || !Double.isFinite(logitScale[i])) {
                        throw new IllegalArgumentException("logit scale of class " + i + " must be positive and "
                                + "finite, was " + logitScale[i]);
                    }
                }
            }
            String x = INPUT;
            if (mean != 0) {
                x = c.node("Sub", "standardized_centered", List.of(x, c.scalar("standardization_mean",
                        (float) mean)));
            }
            if (std != 1) {
                x = c.node("Div", "standardized", List.of(x, c.scalar("standardization_std", (float) std)));
            }
            String z = c.node("Identity", LOGITS, List.of(c.convert(x)));
            if (logitScale != null) {
                float[] s = new float[logitScale.length];
                for (int i = 0; i < s.length; i++) {
                    s[i] = (float) logitScale[i];
                }
                z = c.node("Mul", "scaled_logits", List.of(z, c.floats("logit_scale", s, s.length)));
            }
            c.node("Sigmoid", PROBABILITIES, List.of(z));
            g.addInput(valueInfo(INPUT, dim("batch"), dim(folded.inputLeads()), dim("samples")));
            g.addOutput(valueInfo(PROBABILITIES, dim("batch"), dim(classes)));
            g.addOutput(valueInfo(LOGITS, dim("batch"), dim(classes)));
            g.setDocString("input " + INPUT + " [batch, " + folded.inputLeads() + " leads, samples] in mV; outputs "
                    + PROBABILITIES + " and " + LOGITS + " [batch, " + classes + "]");
            Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder()
                    .setIrVersion(IR_VERSION)
                    .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                    .setProducerName("mvkt")
                    .setProducerVersion(producerVersion)
                    .setDomain("dev.mvkt")
                    .setModelVersion(1)
                    .setDocString(description)
                    .setGraph(g);
            metadata.forEach((k, v) -> m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(k)
                    .setValue(v)));
            return new OnnxExport(m.build());
        }

        private static Onnx.TensorShapeProto.Dimension dim(String param) {
            return Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(param).build();
        }

        private static Onnx.TensorShapeProto.Dimension dim(long value) {
            return Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(value).build();
        }

        private static Onnx.ValueInfoProto valueInfo(String name, Onnx.TensorShapeProto.Dimension... dims) {
            return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                    .setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                            .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                            .setShape(Onnx.TensorShapeProto.newBuilder().addAllDim(Arrays.asList(dims)))))
                    .build();
        }
    }
}
