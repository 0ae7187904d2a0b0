package dev.mvkt.backbones;

import dev.mvkt.backbones.engine.Engine;
import dev.mvkt.backbones.engine.TrainableGraph;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.TruncatedNormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The building blocks the backbones share, on the {@code [N, channels, 1, samples]} layout: every 1-D operation is
 * a 2-D one with a {@code (1, k)} window, because DL4J's 1-D convolution cannot be followed by batch normalisation in
 * training. Time runs along the width, not the height: oneDNN blocks its convolution kernels along the output width,
 * and with the signal on the height (width 1) the same convolutions ran 2.3x slower forward and 1.3x slower backward
 * (see docs/performance.md).
 *
 * <p>Each method adds its vertices under the given name and returns the name of the last one, so architectures read
 * like their PyTorch forward passes.
 */
final class GraphParts {
    /** Nominal length used only for DL4J's shape inference; global pooling makes the networks length-agnostic. */
    static final int NOMINAL_LENGTH = 1000;

    private final ComputationGraphConfiguration.GraphBuilder g;
    private final double bnEps;
    private final double bnDecay;
    private final EngineOptions engine;

    /**
     * @param bnEps   batch-norm ε of the reference (PyTorch 1e-5, Keras 1e-3)
     * @param bnDecay DL4J decay of the running statistics = 1 − PyTorch momentum = Keras momentum
     */
    GraphParts(NetworkSpec spec, IWeightInit defaultInit, double bnEps, double bnDecay) {
        Engine.configure();
        NeuralNetConfiguration.Builder conf = new NeuralNetConfiguration.Builder()
                .seed(Engine.nd4jSeed(spec.seed()))
                .dataType(DataType.FLOAT)
                .updater(spec.updater())
                .l2(spec.l2());
        if (spec.decayScope() == DecayScope.ALL_PARAMETERS) {
            // DL4J's l2 covers weights only; biases need l2Bias, batch norm's gamma and beta EcgNetwork.trainStep.
            conf.l2Bias(spec.l2());
        }
        this.g = conf
                .weightInit(defaultInit)
                .convolutionMode(ConvolutionMode.Truncate)
                // Keeps each layer's pre-activation from the forward pass for backprop instead of recomputing it.
                .cacheMode(CacheMode.DEVICE)
                .graphBuilder()
                .addInputs("ecg")
                .setInputTypes(InputType.convolutional(1, NOMINAL_LENGTH, spec.inputLeads()));
        this.bnEps = bnEps;
        this.bnDecay = bnDecay;
        this.engine = spec.engine();
    }

    // ---- weight initialisations of the references, in DL4J terms

    /** PyTorch's default for Conv1d and Linear weights: U(±1/√fan_in), fan_in = in·k. */
    static IWeightInit pytorchDefault() {
        return WeightInit.UNIFORM.getWeightInitFunction();
    }

    /** {@code kaiming_normal_(w)} (mode fan_in, ReLU gain): N(0, 2/fan_in), fan_in = in·k as in DL4J. */
    static IWeightInit kaimingNormalFanIn() {
        return WeightInit.RELU.getWeightInitFunction();
    }

    /**
     * {@code kaiming_normal_(w, mode='fan_out', nonlinearity='relu')}: N(0, 2/(out·k)). Explicit, because DL4J's
     * convolution fan-out divides by the stride and PyTorch's does not.
     */
    static IWeightInit kaimingNormalFanOut(int nOut, int kernel) {
        return new WeightInitDistribution(new NormalDistribution(0, Math.sqrt(2.0 / ((double) nOut * kernel))));
    }

    /** Keras {@code he_normal} (Keras 2.0, as awni/ecg used): truncated normal, σ = √(2/fan_in). */
    static IWeightInit kerasHeNormal(int nIn, int kernel) {
        return new WeightInitDistribution(new TruncatedNormalDistribution(0,
                Math.sqrt(2.0 / ((double) nIn * kernel))));
    }

    /** Keras's default Dense initialisation, {@code glorot_uniform}. */
    static IWeightInit glorotUniform() {
        return WeightInit.XAVIER_UNIFORM.getWeightInitFunction();
    }

    // ---- layers

    /** Convolution with PyTorch's symmetric padding {@code (k−1)/2} (k odd), so output lengths match exactly. */
    String conv(String name, String in, int nIn, int nOut, int kernel, int stride, boolean bias, IWeightInit init) {
        var b = new ConvolutionLayer.Builder(1, kernel)
                .stride(1, stride)
                .padding(0, (kernel - 1) / 2)
                .nIn(nIn).nOut(nOut)
                .hasBias(bias)
                .activation(Activation.IDENTITY);
        if (init != null) {
            b.weightInit(init);
        }
        g.addLayer(name, b.build(), in);
        return name;
    }

    /**
     * Convolution with Keras/TensorFlow {@code padding='same'}: output length ⌈L/stride⌉, total padding split with
     * the extra sample at the end. DL4J's {@link ConvolutionMode#Same} computes exactly that, which even kernels
     * (Hannun's 16) need: no symmetric padding keeps the length.
     */
    String convSame(String name, String in, int nIn, int nOut, int kernel, int stride, boolean bias,
                    IWeightInit init) {
        g.addLayer(name, new ConvolutionLayer.Builder(1, kernel)
                .stride(1, stride)
                .convolutionMode(ConvolutionMode.Same)
                .nIn(nIn).nOut(nOut)
                .hasBias(bias)
                .activation(Activation.IDENTITY)
                .weightInit(init)
                .build(), in);
        return name;
    }

    /** Batch norm with gamma 1, beta 0 (or gamma 0 for a residual branch's last BN where the reference does so). */
    String bn(String name, String in, int n, boolean zeroGamma) {
        var b = new BatchNormalization.Builder().nOut(n).eps(bnEps).decay(bnDecay);
        if (zeroGamma) {
            b.gamma(0.0);
        }
        g.addLayer(name, b.build(), in);
        return name;
    }

    String bn(String name, String in, int n) {
        return bn(name, in, n, false);
    }

    String relu(String name, String in) {
        g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), in);
        return name;
    }

    /** Conv (no bias, symmetric padding) → BN → optional ReLU, the unit of the PyTorch references. */
    String convBn(String name, String in, int nIn, int nOut, int kernel, int stride, boolean relu, boolean zeroGamma,
                  IWeightInit init) {
        String x = conv(name, in, nIn, nOut, kernel, stride, false, init);
        x = bn(name + "_bn", x, nOut, zeroGamma);
        return relu ? relu(name + "_relu", x) : x;
    }

    String add(String name, String a, String b) {
        g.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
        return name;
    }

    /** Channel concatenation, in the given order. */
    String concat(String name, String... in) {
        g.addVertex(name, new MergeVertex(), in);
        return name;
    }

    /** Zeros shaped like {@code in} (its gradient is zero, as for Keras's {@code K.zeros_like}). */
    String zerosLike(String name, String in) {
        g.addVertex(name, new ScaleVertex(0.0), in);
        return name;
    }

    /** {@code MaxPool1d(k, stride, padding)}; padded positions never win, as in PyTorch. */
    String maxPool(String name, String in, int kernel, int stride, int padding) {
        g.addLayer(name, new SubsamplingLayer.Builder(PoolingType.MAX)
                .kernelSize(1, kernel).stride(1, stride).padding(0, padding).build(), in);
        return name;
    }

    /**
     * Pooling with window = stride = {@code k} and output length ⌈L/k⌉: the last window is partial when L is not a
     * multiple of k and averages (or maxes) only the samples it covers, as PyTorch's {@code ceil_mode=True}.
     */
    String poolCeil(String name, String in, PoolingType type, int k) {
        g.addLayer(name, new SubsamplingLayer.Builder(type)
                .kernelSize(1, k).stride(1, k)
                .convolutionMode(ConvolutionMode.Same)
                .avgPoolIncludePadInDivisor(false)
                .build(), in);
        return name;
    }

    String dropout(String name, String in, double p) {
        if (p <= 0) {
            return in;
        }
        g.addLayer(name, new DropoutLayer.Builder(1.0 - p).build(), in);
        return name;
    }

    String globalPool(String name, String in, PoolingType type) {
        g.addLayer(name, new GlobalPoolingLayer.Builder(type).build(), in);
        return name;
    }

    /** fastai's {@code AdaptiveConcatPool1d}: max ‖ average, as the PTB-XL benchmark's heads. */
    String concatPoolMaxAvg(String name, String in) {
        return concat(name, globalPool(name + "_max", in, PoolingType.MAX), globalPool(name + "_avg", in,
                PoolingType.AVG));
    }

    /**
     * The PTB-XL benchmark's {@code create_head1d}: with {@code hidden = 0}, BN → dropout p → linear on the features
     * (its default settings); with {@code hidden > 0}, as the benchmark's configurations train it
     * ({@code lin_ftrs_head=[hidden]}, fastai's {@code bn_drop_lin} blocks): BN → dropout p/2 → linear(→ hidden) →
     * ReLU → BN → dropout p → linear(→ classes).
     */
    String benchmarkHead(String features, int featureDim, int classes, double dropout, int hidden, IWeightInit init) {
        String x = bn("head_bn", features, featureDim);
        int in = featureDim;
        if (hidden > 0) {
            x = dropout("head_drop1", x, dropout / 2);
            var d = new DenseLayer.Builder().nIn(featureDim).nOut(hidden).activation(Activation.RELU).hasBias(true);
            if (init != null) {
                d.weightInit(init);
            }
            g.addLayer("head_hidden", d.build(), x);
            x = bn("head_bn2", "head_hidden", hidden);
            in = hidden;
        }
        x = dropout("head_drop", x, dropout);
        return logits(x, in, classes, init);
    }

    String logits(String in, int nIn, int classes, IWeightInit init) {
        var b = new DenseLayer.Builder().nIn(nIn).nOut(classes).activation(Activation.IDENTITY).hasBias(true);
        if (init != null) {
            b.weightInit(init);
        }
        g.addLayer("logits", b.build(), in);
        return "logits";
    }

    /**
     * Declares the outputs ({@code logits}, then a leaf copy of the features: an output vertex's external error
     * replaces, rather than adds to, the error flowing back from the head, so the features output must feed nothing)
     * and builds the initialised graph.
     */
    EcgNetwork build(String features, String name, java.util.Map<String, Object> config, int featureDim) {
        g.addLayer("features_out", new ActivationLayer.Builder().activation(Activation.IDENTITY).build(), features)
                .setOutputs("logits", "features_out");
        ComputationGraph graph = new TrainableGraph(g.build());
        graph.init();
        return new EcgNetwork(graph, name, config, featureDim, engine);
    }
}
