package dev.mvkt.backbones;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ResNet1d_wang (Wang et al. 2017, as in Strodthoff et al.'s PTB-XL benchmark, {@code resnet1d_wang}):
 * stem conv k7 stride 1 → BN → ReLU (no pooling); three basic blocks of {@code width} channels with kernels 5 and 3
 * and strides 1, 2, 2 (1×1 conv + BN on the shortcut when the stride is not 1); head: concat pooling
 * (max ‖ average) → BN → dropout 0.5 → linear.
 *
 * <p>Features for CLT are the concat-pooled vector, {@code 2·width} values. Convolutions have no bias and pad
 * {@code (k−1)/2} on both sides, as the reference, so output lengths match PyTorch exactly. Weights are drawn
 * U(±1/√fan_in), PyTorch's default for convolutions and linear layers; batch norm uses momentum 0.1 (DL4J decay 0.9)
 * and ε = 1e-5.
 */
final class ResNet1dWang implements Backbone {
    static final String NAME = "resnet1d_wang";
    /** Nominal length used only for DL4J's shape inference; global pooling makes the network length-agnostic. */
    private static final int NOMINAL_LENGTH = 1000;

    private final int width;
    private final int kernel1;
    private final int kernel2;
    private final int stemKernel;
    private final double dropout;

    ResNet1dWang(int width, int kernel1, int kernel2, int stemKernel, double dropout) {
        this.width = width;
        this.kernel1 = kernel1;
        this.kernel2 = kernel2;
        this.stemKernel = stemKernel;
        this.dropout = dropout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("width", width);
        c.put("kernels", kernel1 + "," + kernel2);
        c.put("stemKernel", stemKernel);
        c.put("blocks", 3);
        c.put("dropout", dropout);
        return c;
    }

    @Override
    public EcgNetwork build(NetworkSpec spec) {
        Engine.configure();
        var g = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(spec.updater())
                .l2(spec.l2())
                .weightInit(WeightInit.UNIFORM)
                .convolutionMode(ConvolutionMode.Truncate)
                // Keeps each layer's pre-activation from the forward pass for backprop instead of recomputing it.
                .cacheMode(CacheMode.DEVICE)
                .graphBuilder()
                .addInputs("ecg")
                .setInputTypes(InputType.convolutional(NOMINAL_LENGTH, 1, spec.inputLeads()));

        String x = convBnRelu(g, "stem", "ecg", spec.inputLeads(), width, stemKernel, 1, true);
        x = block(g, "b1", x, 1);
        x = block(g, "b2", x, 2);
        x = block(g, "b3", x, 2);

        g.addLayer("maxpool", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), x)
                .addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x)
                .addVertex("features", new MergeVertex(), "maxpool", "avgpool")
                .addLayer("head_bn", new BatchNormalization.Builder().nOut(2L * width).eps(1e-5).decay(0.9).build(),
                        "features")
                .addLayer("head_drop", new DropoutLayer.Builder(1.0 - dropout).build(), "head_bn")
                .addLayer("logits", new DenseLayer.Builder().nIn(2L * width).nOut(spec.classes())
                        .activation(Activation.IDENTITY).hasBias(true).build(), "head_drop")
                // A leaf copy of the features: an output vertex's external error replaces, rather than adds to,
                // the error flowing back from the head, so the features output must not feed anything.
                .addLayer("features_out", new ActivationLayer.Builder().activation(Activation.IDENTITY).build(),
                        "features")
                .setOutputs("logits", "features_out");

        ComputationGraphConfiguration conf = g.build();
        ComputationGraph graph = new TrainableGraph(conf);
        graph.init();
        return new EcgNetwork(graph, NAME, config(), 2 * width);
    }

    private String block(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int stride) {
        String a = convBnRelu(g, name + "_c1", in, width, width, kernel1, stride, true);
        String b = convBnRelu(g, name + "_c2", a, width, width, kernel2, 1, false);
        String shortcut = in;
        if (stride != 1) {
            shortcut = convBnRelu(g, name + "_down", in, width, width, 1, stride, false);
        }
        g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), b, shortcut);
        g.addLayer(name + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "_add");
        return name + "_relu";
    }

    /** Conv (k,1) without bias → BN → optional ReLU; returns the last vertex name. */
    static String convBnRelu(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int nIn, int nOut,
                             int kernel, int stride, boolean relu) {
        g.addLayer(name, new ConvolutionLayer.Builder(kernel, 1)
                .stride(stride, 1)
                .padding((kernel - 1) / 2, 0)
                .nIn(nIn).nOut(nOut)
                .hasBias(false)
                .activation(Activation.IDENTITY)
                .build(), in);
        g.addLayer(name + "_bn", new BatchNormalization.Builder().nOut(nOut).eps(1e-5).decay(0.9).build(), name);
        if (!relu) {
            return name + "_bn";
        }
        g.addLayer(name + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "_bn");
        return name + "_relu";
    }
}
