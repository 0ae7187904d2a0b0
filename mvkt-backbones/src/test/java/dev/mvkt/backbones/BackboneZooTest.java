package dev.mvkt.backbones;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four backbones added to ResNet1d_wang: reference parameter counts, tiny versions through forward, backward and
 * save/load, and the padding and pooling details the architectures depend on.
 */
class BackboneZooTest {

    /**
     * Tiny versions of every zoo backbone, with their feature sizes; each keeps the reference topology (Hannun: one
     * width doubling and both block kinds; XResNet: strided stages and shortcut projections).
     */
    static Stream<Arguments> tiny() {
        return Stream.of(
                Arguments.of(Backbones.cnnHannunBuilder().optFilters(4).optBlocks(6).build(), 8),
                Arguments.of(Backbones.resnet1d34Builder().optWidth(4).optLayers(1, 2, 1, 1).build(), 64),
                Arguments.of(Backbones.inception1dBuilder().optFilters(2).optBottleneck(2).optDepth(3).build(), 16),
                Arguments.of(Backbones.xresnet1d101Builder().optStemWidths(4, 8, 8).optWidths(2, 4, 4, 8)
                        .optLayers(1, 2, 1, 1).build(), 64),
                Arguments.of(Backbones.xresnet1d101Builder().optVariant(Backbones.XResNetVariant.PTBXL_BENCHMARK)
                        .optStemWidths(4, 4, 8).optWidths(2, 2, 2, 2).optLayers(1, 1, 2, 1).build(), 16));
    }

    /**
     * Trainable parameters for 12 leads and 5 classes: DL4J's count minus batch norm's running mean and variance,
     * which DL4J stores as parameters ({@code *_mean}, {@code *_log10stdev}) and PyTorch as buffers.
     */
    static long trainable(EcgNetwork net) {
        long n = 0;
        for (var e : net.graph().paramTable().entrySet()) {
            if (!e.getKey().endsWith("_mean") && !e.getKey().endsWith("_log10stdev")) {
                n += e.getValue().length();
            }
        }
        return n;
    }

    /**
     * Expected counts: the reference definitions restated in PyTorch 2.13 (CPU) in a scratch script and counted as
     * {@code sum(p.numel() for p in m.parameters())} (trainable) and the BN {@code running_mean}/{@code running_var}
     * buffers (running state), input_channels 12, num_classes 5:
     * <ul>
     * <li>cnn_hannun: awni/ecg {@code ecg/network.py} + {@code examples/cinc17/config.json} (Keras; translated,
     * Conv1d with bias, TimeDistributed Dense as Linear(256, 5)), 10,472,037 + 7,744;</li>
     * <li>resnet1d34: helme/ecg_ptbxl_benchmarking @ff776de {@code code/models/resnet1d.py},
     * {@code ResNet1d(BasicBlock1d, [3,4,6,3], kernel_size=[3,3], kernel_size_stem=7, fix_feature_dim=False)} with
     * the head sized to the last stage (512), 7,230,341 + 19,072; with the benchmark's own layout
     * ({@code fix_feature_dim=True}, stem kernel 3) 413,317 + 4,864;</li>
     * <li>inception1d: same repository, {@code code/models/inception1d.py}, {@code inception1d()} defaults,
     * 475,141 + 2,560;</li>
     * <li>xresnet1d101 (paper): QINYZz/MVKT-ECG @209abc7 {@code models/xresnet_1d.py}, {@code xresnet101()},
     * 28,301,509 + 105,536;</li>
     * <li>xresnet1d101 (benchmark): helme/ecg_ptbxl_benchmarking @ff776de {@code code/models/xresnet1d.py},
     * {@code xresnet1d101()} defaults, 1,808,261 + 27,136.</li>
     * </ul>
     */
    static Stream<Arguments> reference() {
        return Stream.of(
                Arguments.of(Backbones.cnnHannun(), 10_472_037L, 7_744L, 256),
                Arguments.of(Backbones.resnet1d34(), 7_230_341L, 19_072L, 1024),
                Arguments.of(Backbones.resnet1d34Builder().optFixedWidth(true).optStemKernel(3).build(), 413_317L,
                        4_864L, 128),
                Arguments.of(Backbones.inception1d(), 475_141L, 2_560L, 256),
                Arguments.of(Backbones.xresnet1d101(), 28_301_509L, 105_536L, 4096),
                Arguments.of(Backbones.xresnet1d101Builder().optVariant(Backbones.XResNetVariant.PTBXL_BENCHMARK)
                        .build(), 1_808_261L, 27_136L, 512));
    }

    @ParameterizedTest
    @MethodSource("reference")
    void parameterCountsMatchThePyTorchReference(Backbone b, long trainable, long runningStats, int featureDim) {
        EcgNetwork net = b.build(NetworkSpec.of(12, 5, 0));
        assertEquals(trainable, trainable(net), b.name() + " " + b.config());
        assertEquals(trainable + runningStats, net.numParams());
        assertEquals(featureDim, net.featureDim());
        assertEquals(12, net.inputLeads());
    }
}
