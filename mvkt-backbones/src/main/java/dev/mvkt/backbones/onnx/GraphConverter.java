package dev.mvkt.backbones.onnx;

import onnx.Onnx;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * Translates a folded DL4J graph into ONNX nodes, one vertex at a time in topological order.
 *
 * <p>The DL4J graph computes on {@code [N, C, 1, samples]} with {@code (1, k)} windows (see GraphParts); the ONNX graph
 * drops the unit height and uses 1-D operators on {@code [N, C, samples]}: the same numbers in the same memory order,
 * and the layout other ONNX tools expect of a 1-D signal. DL4J's {@code Same} mode pads as ONNX's
 * {@code auto_pad = SAME_UPPER} does (the odd sample at the end), which keeps a strided layer right for odd and even
 * lengths alike; explicit pads cannot, since the length is a dynamic dimension.
 *
 * <p>Only what the zoo's folded graphs contain is translated (the same set mvkt's direct inference plan runs);
 * anything else throws {@link UnsupportedVertexException} naming the vertex.
 */
final class GraphConverter {
    /** Prefix of the tensors made from DL4J vertices, so that none takes the name of the model's input or outputs. */
    private static final String NET = "net/";
    private final ComputationGraph graph;
    private final Onnx.GraphProto.Builder g;
    private final Set<String> names = new java.util.HashSet<>();

    GraphConverter(ComputationGraph graph, Onnx.GraphProto.Builder g) {
        this.graph = graph;
        this.g = g;
    }

    /**
     * Adds the nodes of every vertex, fed by tensor {@code input}, and returns the tensor of the graph's first output
     * (the logits).
     */
    String convert(String input) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("the graph has " + conf.getNetworkInputs().size()
                    + " inputs; ONNX export takes graphs with one ECG input");
        }
        Map<String, String> tensorOf = new HashMap<>();
        tensorOf.put(conf.getNetworkInputs().get(0), input);
        names.add(input);
        for (int idx : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[idx].getVertexName();
            GraphVertex v = conf.getVertices().get(name);
            if (v == null) {
                continue; // the input
            }
            List<String> ins = conf.getVertexInputs().get(name).stream().map(tensorOf::get).toList();
            tensorOf.put(name, vertex(name, v, ins));
        }
        return tensorOf.get(conf.getNetworkOutputs().get(0));
    }

    /** The number of classes: the width of the graph's first output. */
    long outputWidth() {
        String out = graph.getConfiguration().getNetworkOutputs().get(0);
        if (graph.getConfiguration().getVertices().get(out) instanceof LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof DenseLayer d) {
            return d.getNOut();
        }
        throw new UnsupportedVertexException(out, "the logits output must be a dense layer");
    }

    private String vertex(String name, GraphVertex v, List<String> in) {
        String t = NET + name;
        if (v instanceof ElementWiseVertex e) {
            if (e.getOp() != ElementWiseVertex.Op.Add) {
                throw new UnsupportedVertexException(name, "element-wise " + e.getOp() + " is not exported (Add is)");
            }
            return node(in.size() == 2 ? "Add" : "Sum", t, in);
        }
        if (v instanceof ScaleVertex s) {
            return node("Mul", t, List.of(in.get(0), scalar(t + "_factor", (float) s.getScaleFactor())));
        }
        if (v instanceof MergeVertex m) {
            if (m.getMergeAxis() != MergeVertex.DEFAULT_MERGE_DIM) {
                throw new UnsupportedVertexException(name, "merge along axis " + m.getMergeAxis());
            }
            return node("Concat", t, in, attr("axis", 1));
        }
        if (!(v instanceof LayerVertex lv)) {
            throw new UnsupportedVertexException(name, "vertex type " + v.getClass().getSimpleName());
        }
        if (lv.getPreProcessor() != null) {
            throw new UnsupportedVertexException(name, "input preprocessor "
                    + lv.getPreProcessor().getClass().getSimpleName());
        }
        var layer = lv.getLayerConf().getLayer();
        String x = in.get(0);
        if (layer instanceof DropoutLayer) {
            return x; // identity in inference
        }
        if (layer instanceof ActivationLayer a) {
            return activation(name, a.getActivationFn(), x);
        }
        if (layer instanceof ConvolutionLayer c && c.getClass() == ConvolutionLayer.class) {
            return conv(name, c, x);
        }
        if (layer instanceof BatchNormalization bn) {
            return batchNorm(name, bn, x);
        }
        if (layer instanceof SubsamplingLayer p && p.getClass() == SubsamplingLayer.class) {
            return pool(name, p, x);
        }
        if (layer instanceof GlobalPoolingLayer gp) {
            return globalPool(name, gp, x);
        }
        if (layer instanceof DenseLayer d) {
            String w = initializer(t + "_W", param(name, DefaultParamInitializer.WEIGHT_KEY), d.getNIn(), d.getNOut());
            List<String> ins = d.hasBias()
                    ? List.of(x, w, initializer(t + "_b", param(name, DefaultParamInitializer.BIAS_KEY), d.getNOut()))
                    : List.of(x, w);
            return activation(name, d.getActivationFn(), node("Gemm", t + "_gemm", ins));
        }
        throw new UnsupportedVertexException(name, "layer " + layer.getClass().getSimpleName() + " is not exported");
    }

    private String conv(String name, ConvolutionLayer c, String x) {
        String t = NET + name;
        if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new UnsupportedVertexException(name, "convolution in " + c.getCnn2dDataFormat());
        }
        checkOneDimensional(name, c.getKernelSize(), c.getStride(), c.getPadding(), c.getDilation());
        List<Onnx.AttributeProto> attrs = new java.util.ArrayList<>(List.of(
                ints("kernel_shape", c.getKernelSize()[1]), ints("strides", c.getStride()[1]),
                ints("dilations", c.getDilation()[1]), attr("group", 1)));
        attrs.add(padding(name, c.getConvolutionMode(), c.getPadding()[1]));
        long k = c.getKernelSize()[1];
        String w = initializer(t + "_W", param(name, ConvolutionParamInitializer.WEIGHT_KEY),
                c.getNOut(), c.getNIn(), k);
        List<String> ins = c.hasBias()
                ? List.of(x, w, initializer(t + "_b", param(name, ConvolutionParamInitializer.BIAS_KEY), c.getNOut()))
                : List.of(x, w);
        return activation(name, c.getActivationFn(), node("Conv", t + "_conv", ins,
                attrs.toArray(Onnx.AttributeProto[]::new)));
    }

    /**
     * A batch norm left after folding (one after an addition, a pooling or a merge), as ONNX's inference-mode
     * BatchNormalization with DL4J's running statistics; DL4J's {@code log10(σ)} form is turned into σ².
     */
    private String batchNorm(String name, BatchNormalization bn, String x) {
        String t = NET + name;
        if (bn.getCnn2DFormat() != CNN2DFormat.NCHW || bn.isLockGammaBeta()) {
            throw new UnsupportedVertexException(name, "batch norm in " + bn.getCnn2DFormat()
                    + " or with locked γ/β");
        }
        long n = bn.getNOut();
        INDArray var;
        if (bn.isUseLogStd()) {
            INDArray log10Std = param(name, BatchNormalizationParamInitializer.GLOBAL_LOG_STD).castTo(DataType.DOUBLE);
            INDArray std = org.nd4j.linalg.ops.transforms.Transforms.pow(log10Std.ulike().assign(10.0), log10Std,
                    false);
            var = std.mul(std);
        } else {
            var = param(name, BatchNormalizationParamInitializer.GLOBAL_VAR);
        }
        return node("BatchNormalization", t, List.of(x,
                        initializer(t + "_gamma", param(name, BatchNormalizationParamInitializer.GAMMA), n),
                        initializer(t + "_beta", param(name, BatchNormalizationParamInitializer.BETA), n),
                        initializer(t + "_mean", param(name, BatchNormalizationParamInitializer.GLOBAL_MEAN), n),
                        initializer(t + "_var", var, n)),
                attr("epsilon", (float) bn.getEps()));
    }

    private String pool(String name, SubsamplingLayer p, String x) {
        String t = NET + name;
        if (p.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new UnsupportedVertexException(name, "pooling in " + p.getCnn2dDataFormat());
        }
        checkOneDimensional(name, p.getKernelSize(), p.getStride(), p.getPadding(), p.getDilation());
        List<Onnx.AttributeProto> attrs = new java.util.ArrayList<>(List.of(
                ints("kernel_shape", p.getKernelSize()[1]), ints("strides", p.getStride()[1]),
                padding(name, p.getConvolutionMode(), p.getPadding()[1])));
        if (p.getPoolingType() == PoolingType.MAX) {
            attrs.add(ints("dilations", p.getDilation()[1]));
            return node("MaxPool", t, List.of(x), attrs.toArray(Onnx.AttributeProto[]::new));
        }
        if (p.getPoolingType() == PoolingType.AVG) {
            if (p.getDilation()[1] != 1) {
                throw new UnsupportedVertexException(name, "dilated average pooling (opset 13 has none)");
            }
            attrs.add(attr("count_include_pad", p.isAvgPoolIncludePadInDivisor() ? 1 : 0));
            return node("AveragePool", t, List.of(x), attrs.toArray(Onnx.AttributeProto[]::new));
        }
        throw new UnsupportedVertexException(name, p.getPoolingType() + " pooling");
    }

    private String globalPool(String name, GlobalPoolingLayer gp, String x) {
        String t = NET + name;
        int[] dims = gp.getPoolingDimensions();
        if (!gp.isCollapseDimensions() || (dims != null && !Arrays.equals(dims, new int[]{2, 3}))) {
            throw new UnsupportedVertexException(name, "global pooling over " + Arrays.toString(dims)
                    + (gp.isCollapseDimensions() ? "" : " without collapsing"));
        }
        // DL4J pools [N, C, 1, L] over its last two axes: here the time axis of [N, C, L].
        return switch (gp.getPoolingType()) {
            case MAX -> node("Flatten", t, List.of(node("GlobalMaxPool", t + "_pool", List.of(x))),
                    attr("axis", 1));
            case AVG -> node("Flatten", t, List.of(node("GlobalAveragePool", t + "_pool", List.of(x))),
                    attr("axis", 1));
            case SUM -> node("ReduceSum", t, List.of(x, int64s(t + "_axes", 2)), attr("keepdims", 0));
            default -> throw new UnsupportedVertexException(name, "global " + gp.getPoolingType() + " pooling");
        };
    }

    /** A pointwise activation after {@code x}; identity adds nothing. */
    private String activation(String vertex, IActivation fn, String x) {
        String out = NET + vertex;
        if (fn == null || fn instanceof ActivationIdentity) {
            return x;
        }
        if (fn instanceof ActivationReLU r) {
            if (r.getMax() != null || r.getThreshold() != null || r.getNegativeSlope() != null) {
                throw new UnsupportedVertexException(vertex, "ReLU with a maximum, threshold or negative slope");
            }
            return node("Relu", out, List.of(x));
        }
        if (fn instanceof ActivationLReLU l) {
            return node("LeakyRelu", out, List.of(x), attr("alpha", (float) l.getAlpha()));
        }
        if (fn instanceof ActivationSigmoid) {
            return node("Sigmoid", out, List.of(x));
        }
        if (fn instanceof ActivationTanH) {
            return node("Tanh", out, List.of(x));
        }
        throw new UnsupportedVertexException(vertex, "activation " + fn + " is not exported (identity, ReLU, "
                + "leaky ReLU, sigmoid and tanh are)");
    }

    private static void checkOneDimensional(String name, int[] k, int[] s, int[] p, int[] d) {
        if (k[0] != 1 || s[0] != 1 || p[0] != 0 || d[0] != 1) {
            throw new UnsupportedVertexException(name, "a 2-D window (kernel " + Arrays.toString(k) + ", stride "
                    + Arrays.toString(s) + ", padding " + Arrays.toString(p) + ", dilation " + Arrays.toString(d)
                    + "); the exporter takes the backbones' (1, k) windows along time");
        }
    }

    private static Onnx.AttributeProto padding(String name, ConvolutionMode mode, int pad) {
        return switch (mode) {
            case Same -> attr("auto_pad", "SAME_UPPER");
            case Truncate, Strict -> ints("pads", pad, pad);
            default -> throw new UnsupportedVertexException(name, "convolution mode " + mode);
        };
    }

    // ---- protobuf helpers

    private INDArray param(String vertex, String key) {
        INDArray p = graph.getParam(vertex + "_" + key);
        if (p == null) {
            throw new UnsupportedVertexException(vertex, "no parameter '" + key + "'");
        }
        return p;
    }

    private String unique(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("ONNX tensor name '" + name + "' used twice");
        }
        return name;
    }

    String node(String op, String out, List<String> inputs, Onnx.AttributeProto... attrs) {
        g.addNode(Onnx.NodeProto.newBuilder().setOpType(op).setName(unique(out)).addAllInput(inputs).addOutput(out)
                .addAllAttribute(Arrays.asList(attrs)));
        return out;
    }

    /** A float initializer of {@code shape} holding {@code values} in c order. */
    String initializer(String name, INDArray values, long... shape) {
        float[] v = org.nd4j.linalg.factory.Nd4j.toFlattened('c', values.castTo(DataType.FLOAT)).toFloatVector();
        if (v.length != LongStream.of(shape).reduce(1, (a, b) -> a * b)) {
            throw new IllegalStateException(name + ": " + v.length + " values for shape " + Arrays.toString(shape));
        }
        return floats(name, v, shape);
    }

    String floats(String name, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        g.addInitializer(Onnx.TensorProto.newBuilder().setName(unique(name))
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).addAllDims(box(shape))
                .setRawData(ByteString.copyFrom(b.array())));
        return name;
    }

    String scalar(String name, float value) {
        return floats(name, new float[]{value});
    }

    private String int64s(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        g.addInitializer(Onnx.TensorProto.newBuilder().setName(unique(name))
                .setDataType(Onnx.TensorProto.DataType.INT64_VALUE).addDims(values.length)
                .setRawData(ByteString.copyFrom(b.array())));
        return name;
    }

    private static List<Long> box(long... v) {
        return LongStream.of(v).boxed().toList();
    }

    static Onnx.AttributeProto attr(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    static Onnx.AttributeProto ints(String name, long... values) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS)
                .addAllInts(box(values)).build();
    }

    static Onnx.AttributeProto attr(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT)
                .setF(value).build();
    }

    static Onnx.AttributeProto attr(String name, String value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }
}
