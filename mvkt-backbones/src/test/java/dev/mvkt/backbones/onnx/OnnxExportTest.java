package dev.mvkt.backbones.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.backbones.NetworkSpec;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exported models run in ONNX Runtime and give mvkt's probabilities: every backbone, 1 and 12 leads, odd and even
 * lengths, batch norms moved off their initial statistics so that the folded and the unfolded ones both matter.
 */
class OnnxExportTest {
    static {
        // Before the hand-built graphs below touch DL4J, as mvkt's own entry points do (Backbones, EcgNetwork.read).
        dev.mvkt.backbones.engine.Engine.configure();
    }

    private static final double TOLERANCE = 1e-4;
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final Map<String, Double> MAX_DIFF = new LinkedHashMap<>();

    /** The five backbones at tiny widths, the same shapes the folding test uses. */
    static List<Backbone> zoo() {
        return List.of(
                Backbones.cnnHannunBuilder().optFilters(4).optBlocks(5).build(),
                Backbones.resnet1d34Builder().optWidth(4).optLayers(1, 1, 1, 1).build(),
                Backbones.resnet1dWangBuilder().optWidth(6).build(),
                Backbones.inception1dBuilder().optFilters(2).optBottleneck(2).optDepth(3).build(),
                Backbones.xresnet1d101Builder().optStemWidths(2, 2, 4).optWidths(1, 2).optLayers(1, 1).build(),
                Backbones.xresnet1d101Builder().optVariant(Backbones.XResNetVariant.PTBXL_BENCHMARK)
                        .optStemWidths(2, 2, 4).optWidths(2, 2).optLayers(1, 1).build());
    }

    /** A network of {@code b} whose batch norms have trained a few steps (running statistics and γ/β moved). */
    static EcgNetwork trained(Backbone b, int leads, int classes) {
        EcgNetwork net = b.build(new NetworkSpec(leads, classes, 5, new Adam(1e-2), 0));
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, leads, 64, 1).subi(0.5).muli(4);
        for (int i = 0; i < 3; i++) {
            net.trainStep(x, o -> new EcgNetwork.Outputs(o.logits().sub(0.3).div(6), null));
        }
        return net;
    }

    @Test
    void everyBackboneRunsInOnnxRuntimeWithMvktsProbabilities() throws OrtException {
        double mean = 0.05;
        double std = 0.8;
        for (Backbone b : zoo()) {
            for (int leads : new int[]{1, 12}) {
                EcgNetwork net = trained(b, leads, 3);
                OnnxExport export = OnnxExport.builder().setNetwork(net).optStandardization(mean, std).build();
                try (OrtSession session = ENV.createSession(export.toByteArray(), new OrtSession.SessionOptions())) {
                    for (int length : new int[]{64, 77, 100, 251}) {
                        INDArray mv = Nd4j.rand(DataType.FLOAT, 3, leads, length, 1).subi(0.5).muli(3);
                        INDArray want = Transforms.sigmoid(net.forInference()
                                .logits(mv.sub(mean).divi(std)).castTo(DataType.DOUBLE), false);
                        float[][] got = run(session, mv).get(OnnxExport.PROBABILITIES);
                        double diff = maxDiff(want, got);
                        String what = b.name() + " (" + b.config() + "), " + leads + " lead(s), length " + length;
                        assertTrue(diff <= TOLERANCE, what + ": max |ONNX − mvkt| = " + diff);
                        MAX_DIFF.merge(b.name(), diff, Math::max);
                    }
                }
            }
        }
    }

    @AfterAll
    static void report() {
        // For the record (docs/deployment.md quotes it): the largest difference seen per backbone.
        MAX_DIFF.forEach((name, d) -> System.out.printf(Locale.ROOT, "onnx parity %-14s max |p_onnx - p_mvkt| = %.3g%n",
                name, d));
    }

    @Test
    void theModelDeclaresItsContract() throws OrtException {
        EcgNetwork net = Backbones.resnet1dWangBuilder().optWidth(3).build().build(NetworkSpec.of(2, 4, 1));
        OnnxExport export = OnnxExport.builder().setNetwork(net)
                .optMetadata(Map.of("labels", "[\"A\",\"B\",\"C\",\"D\"]", "leads", "[\"I\",\"II\"]"))
                .optProducerVersion("9.9").build();
        try (OrtSession session = ENV.createSession(export.toByteArray(), new OrtSession.SessionOptions())) {
            TensorInfo in = (TensorInfo) session.getInputInfo().get(OnnxExport.INPUT).getInfo();
            assertArrayEquals(new long[]{-1, 2, -1}, in.getShape(), "dynamic batch and length, fixed leads");
            assertEquals(List.of(OnnxExport.PROBABILITIES, OnnxExport.LOGITS),
                    List.copyOf(session.getOutputNames()));
            for (NodeInfo out : session.getOutputInfo().values()) {
                assertArrayEquals(new long[]{-1, 4}, ((TensorInfo) out.getInfo()).getShape(), out.getName());
            }
            var meta = session.getMetadata();
            assertEquals("mvkt", meta.getProducerName());
            assertEquals("[\"I\",\"II\"]", meta.getCustomMetadata().get("leads"));
            assertEquals("[\"A\",\"B\",\"C\",\"D\"]", meta.getCustomMetadata().get("labels"));
            assertEquals(export.metadata(), meta.getCustomMetadata());
        }
    }

    @Test
    void aPerClassLogitScaleActsBeforeTheSigmoidAndLeavesTheLogitsAlone() throws OrtException {
        EcgNetwork net = trained(Backbones.resnet1dWangBuilder().optWidth(4).build(), 1, 3);
        double[] scale = {0.5, 1.0, 2.5};
        OnnxExport export = OnnxExport.builder().setNetwork(net).optLogitScale(scale).build();
        INDArray mv = Nd4j.rand(DataType.FLOAT, 4, 1, 90, 1).subi(0.5).muli(3);
        INDArray logits = net.forInference().logits(mv).castTo(DataType.DOUBLE);
        try (OrtSession session = ENV.createSession(export.toByteArray(), new OrtSession.SessionOptions())) {
            Map<String, float[][]> out = run(session, mv);
            assertTrue(maxDiff(logits, out.get(OnnxExport.LOGITS)) <= TOLERANCE, "logits");
            INDArray want = Transforms.sigmoid(logits.mulRowVector(Nd4j.createFromArray(scale)), false);
            assertTrue(maxDiff(want, out.get(OnnxExport.PROBABILITIES)) <= TOLERANCE, "scaled probabilities");
        }
        var ex = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.builder().setNetwork(net).optLogitScale(1, 2).build());
        assertTrue(ex.getMessage().contains("2 values for 3 classes"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.builder().setNetwork(net).optLogitScale(1, 0, 1).build());
        assertTrue(ex.getMessage().contains("class 1"), ex.getMessage());
    }

    @Test
    void activationsAndPoolingsOutsideTheZooStillMatch() throws OrtException {
        var g = graph(2)
                .addLayer("conv", conv(2, 3, Activation.TANH, ConvolutionMode.Same, 2), "ecg")
                .addLayer("sig", new ActivationLayer.Builder().activation(Activation.SIGMOID).build(), "conv")
                .addLayer("leaky", new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build(), "sig")
                .addLayer("pooled", new GlobalPoolingLayer.Builder(PoolingType.SUM).build(), "leaky");
        EcgNetwork net = finish(g, "pooled", 3);
        INDArray mv = Nd4j.rand(DataType.FLOAT, 2, 2, 33, 1).subi(0.5).muli(3);
        INDArray want = Transforms.sigmoid(net.forInference().logits(mv).castTo(DataType.DOUBLE), false);
        try (OrtSession session = ENV.createSession(OnnxExport.builder().setNetwork(net).build().toByteArray(),
                new OrtSession.SessionOptions())) {
            assertTrue(maxDiff(want, run(session, mv).get(OnnxExport.PROBABILITIES)) <= TOLERANCE);
        }
    }

    @Test
    void anUnsupportedVertexIsNamed() {
        var g = graph(1)
                .addLayer("a", conv(1, 2, Activation.IDENTITY, ConvolutionMode.Same, 1), "ecg")
                .addLayer("b", conv(1, 2, Activation.IDENTITY, ConvolutionMode.Same, 1), "ecg")
                .addVertex("gate", new ElementWiseVertex(ElementWiseVertex.Op.Product), "a", "b")
                .addLayer("pooled", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "gate");
        EcgNetwork net = finish(g, "pooled", 2);
        var e = assertThrows(UnsupportedVertexException.class, () -> OnnxExport.builder().setNetwork(net).build());
        assertEquals("gate", e.vertex());
        assertTrue(e.getMessage().contains("'gate'") && e.getMessage().contains("Product"), e.getMessage());

        var pnorm = graph(1).addLayer("c", conv(1, 2, Activation.RELU, ConvolutionMode.Same, 1), "ecg")
                .addLayer("pnorm", new SubsamplingLayer.Builder(PoolingType.PNORM).kernelSize(1, 2).stride(1, 2)
                        .pnorm(2).build(), "c")
                .addLayer("pooled", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "pnorm");
        var e2 = assertThrows(UnsupportedVertexException.class,
                () -> OnnxExport.builder().setNetwork(finish(pnorm, "pooled", 2)).build());
        assertEquals("pnorm", e2.vertex());
        assertTrue(e2.getMessage().contains("PNORM"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OnnxExport.builder().build());
    }

    // ---- helpers

    private static org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder graph(int leads) {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("ecg").setInputTypes(InputType.convolutional(1, 64, leads));
    }

    private static ConvolutionLayer conv(int in, int out, Activation act, ConvolutionMode mode, int stride) {
        return new ConvolutionLayer.Builder(1, 3).stride(1, stride).convolutionMode(mode).nIn(in).nOut(out)
                .activation(act).build();
    }

    private static EcgNetwork finish(org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder g,
                                     String features, int classes) {
        g.addLayer("logits", new DenseLayer.Builder().nOut(classes).activation(Activation.IDENTITY).build(), features)
                .addLayer("features_out", new ActivationLayer.Builder().activation(Activation.IDENTITY).build(),
                        features)
                .setOutputs("logits", "features_out");
        ComputationGraph cg = new ComputationGraph(g.build());
        cg.init();
        return new EcgNetwork(cg, "custom", Map.of(), 1);
    }

    /** Runs the session on {@code mv} ({@code [N, leads, samples, 1]}, the same memory as ONNX's input). */
    static Map<String, float[][]> run(OrtSession session, INDArray mv) throws OrtException {
        long[] shape = {mv.size(0), mv.size(1), mv.size(2)};
        float[] data = Nd4j.toFlattened('c', mv).toFloatVector();
        try (OnnxTensor t = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(data), shape);
             OrtSession.Result r = session.run(Map.of(OnnxExport.INPUT, t))) {
            Map<String, float[][]> out = new LinkedHashMap<>();
            r.forEach(e -> {
                try {
                    out.put(e.getKey(), (float[][]) e.getValue().getValue());
                } catch (OrtException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            return out;
        }
    }

    static double maxDiff(INDArray want, float[][] got) {
        assertEquals(want.size(0), got.length, "rows");
        double max = 0;
        for (int i = 0; i < got.length; i++) {
            assertEquals(want.size(1), got[i].length, "columns");
            for (int j = 0; j < got[i].length; j++) {
                max = Math.max(max, Math.abs(want.getDouble(i, j) - got[i][j]));
            }
        }
        return max;
    }
}
