package dev.mvkt.backbones;

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
                        .optLayers(1, 1, 1, 1).build(), 64),
                Arguments.of(Backbones.xresnet1d101Builder().optVariant(Backbones.XResNetVariant.PTBXL_BENCHMARK)
                        .optStemWidths(4, 4, 8).optWidths(2, 2, 2, 2).optLayers(1, 1, 1, 1).build(), 16));
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
                Arguments.of(Backbones.inception1dBuilder().optHeadHidden(0).build(), 475_141L, 2_560L, 256),
                Arguments.of(Backbones.xresnet1d101(), 28_301_509L, 105_536L, 4096),
                Arguments.of(Backbones.xresnet1d101Builder().optVariant(Backbones.XResNetVariant.PTBXL_BENCHMARK)
                        .optHeadHidden(0).build(), 1_808_261L, 27_136L, 512));
    }

    /**
     * The three benchmark configurations as the PTB-XL benchmark trains them, {@code lin_ftrs_head=[128]}
     * ({@code fastai_model.py}): trainable parameters for 5 classes, 12 leads and 1 lead. The reference code
     * ({@code basic_conv1d.py} {@code create_head1d}/{@code bn_drop_lin}, {@code resnet1d.py}, {@code inception1d.py},
     * {@code xresnet1d.py} of helme/ecg_ptbxl_benchmarking) was re-implemented in PyTorch 2.13 and counted
     * ({@code ../shared/bench/torch_zoo.py counts}, "head [128]" rows): the head adds BN(2·nf), Linear(2·nf → 128),
     * BN(128) and Linear(128 → C) to the body. Running statistics: the body's plus 2·2·nf + 2·128.
     */
    static Stream<Arguments> referenceHeads() {
        return Stream.of(
                Arguments.of(Backbones.resnet1dWang(), 473_349L, 463_493L, 2_816L + 256),
                Arguments.of(Backbones.inception1d(), 507_653L, 505_541L, 2_560L + 256),
                Arguments.of(Backbones.xresnet1d101Builder().optVariant(Backbones.XResNetVariant.PTBXL_BENCHMARK)
                        .build(), 1_872_261L, 1_870_501L, 27_136L + 256));
    }

    @ParameterizedTest
    @MethodSource("referenceHeads")
    void theBenchmarkHeadsHaveTheReferenceConfigurationsCounts(Backbone b, long trainable12, long trainable1,
                                                               long runningStats12) {
        EcgNetwork twelve = b.build(NetworkSpec.of(12, 5, 0));
        assertEquals(trainable12, trainable(twelve), b.name() + " 12 leads " + b.config());
        assertEquals(trainable12 + runningStats12, twelve.numParams(), b.name() + " running statistics");
        assertEquals(trainable1, trainable(b.build(NetworkSpec.of(1, 5, 0))), b.name() + " 1 lead");
        assertEquals(128, b.config().get("headHidden"));
    }

    @Test
    void aHiddenHeadLayerIsRefusedWhereTheReferenceHasNone() {
        var e = assertThrows(IllegalArgumentException.class, () -> Backbones.xresnet1d101Builder().optHeadHidden(128)
                .build());
        assertTrue(e.getMessage().contains("MVKT_PAPER"), e.getMessage());
        var neg = assertThrows(IllegalArgumentException.class, () -> Backbones.resnet1dWangBuilder().optHeadHidden(-1)
                .build());
        assertTrue(neg.getMessage().contains("headHidden"), neg.getMessage());
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

    @ParameterizedTest
    @MethodSource("tiny")
    void forwardAndOneStepForOneAndTwelveLeadsAtTwoLengths(Backbone b, int featureDim) {
        for (int leads : new int[]{1, 12}) {
            EcgNetwork net = b.build(NetworkSpec.of(leads, 3, 1));
            assertEquals(featureDim, net.featureDim());
            // Odd lengths occur inside the strided stages at both lengths.
            for (int length : new int[]{250, 1000}) {
                INDArray x = Nd4j.rand(DataType.FLOAT, 2, leads, length, 1);
                EcgNetwork.Outputs out = net.output(x);
                assertArrayEquals(new long[]{2, 3}, out.logits().shape(), b.name());
                assertArrayEquals(new long[]{2, featureDim}, out.features().shape(), b.name());
                assertTrue(Double.isFinite(out.logits().sumNumber().doubleValue()), b.name());
                INDArray before = net.graph().params().dup();
                net.trainStep(x, o -> new EcgNetwork.Outputs(Nd4j.onesLike(o.logits()).divi(2),
                        Nd4j.onesLike(o.features()).divi(2)));
                assertTrue(net.graph().params().neq(before).any(), b.name() + ": a step changes the parameters");
                assertTrue(Double.isFinite(net.graph().params().sumNumber().doubleValue()), b.name());
            }
            if (leads == 1) {
                // A 10 s record at 500 Hz goes through the same network.
                EcgNetwork.Outputs out = net.output(Nd4j.rand(DataType.FLOAT, 1, leads, 5000, 1));
                assertArrayEquals(new long[]{1, featureDim}, out.features().shape(), b.name());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("tiny")
    void saveLoadRoundTripGivesIdenticalOutputs(Backbone b, int featureDim) throws Exception {
        EcgNetwork net = b.build(NetworkSpec.of(12, 4, 5));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 12, 100, 1);
        net.trainStep(x, o -> new EcgNetwork.Outputs(Nd4j.onesLike(o.logits()), null));
        var bytes = new ByteArrayOutputStream();
        net.write(bytes, false);
        EcgNetwork back = EcgNetwork.read(new ByteArrayInputStream(bytes.toByteArray()), net.architecture(),
                net.config(), net.featureDim());
        EcgNetwork.Outputs a = net.output(x);
        EcgNetwork.Outputs c = back.output(x);
        assertEquals(a.logits(), c.logits(), b.name());
        assertEquals(a.features(), c.features(), b.name());
        assertEquals(b.name(), back.architecture());
    }

    /**
     * Hannun's even kernel 16 with Keras 'same' padding: 7 samples before and 8 after at stride 1 (7 and 7 at stride
     * 2 on an even length), output length ⌈L/stride⌉; the shortcut's ceil-mode max-pool matches the strided branch.
     */
    @Test
    void hannunPadsLikeKerasSame() {
        EcgNetwork net = Backbones.cnnHannunBuilder().optFilters(2).optBlocks(2).build()
                .build(new NetworkSpec(2, 2, 3, new NoOp(), 0));
        int length = 37;
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 2, length, 1).subi(0.5);
        Map<String, INDArray> acts = net.activations(x);
        INDArray stem = acts.get("stem");
        assertArrayEquals(new long[]{1, 2, length, 1}, stem.shape());
        INDArray w = net.graph().getParam("stem_W");
        INDArray bias = net.graph().getParam("stem_b");
        for (int o = 0; o < 2; o++) {
            for (int t : new int[]{0, 3, 18, 29, 36}) {
                double expected = bias.getDouble(o);
                for (int c = 0; c < 2; c++) {
                    for (int j = 0; j < 16; j++) {
                        int at = t + j - 7;
                        if (at >= 0 && at < length) {
                            expected += w.getDouble(o, c, 0, j) * x.getDouble(0, c, at, 0);
                        }
                    }
                }
                assertEquals(expected, stem.getDouble(0, o, t, 0), 1e-5, "output " + o + " at " + t);
            }
        }
        assertEquals(19, acts.get("b1_c1").size(2), "stride 2: ceil(37 / 2)");
        INDArray in = acts.get("b0_add");
        INDArray pooled = acts.get("b1_pool");
        assertEquals(19, pooled.size(2));
        for (int t = 0; t < 19; t++) {
            double m = in.getDouble(0, 1, 2 * t, 0);
            if (2 * t + 1 < length) {
                m = Math.max(m, in.getDouble(0, 1, 2 * t + 1, 0));
            }
            assertEquals(m, pooled.getDouble(0, 1, t, 0), 1e-6, "pool at " + t);
        }
    }

    /** PyTorch's {@code AvgPool1d(2, ceil_mode=True)}: the last, partial window averages only what it covers. */
    @Test
    void xresnetShortcutAveragesInCeilMode() {
        EcgNetwork net = Backbones.xresnet1d101Builder().optStemWidths(2, 2, 4).optWidths(1, 2).optLayers(1, 1)
                .build().build(NetworkSpec.of(1, 2, 3));
        // 1 → stem stride 2: 11 → max-pool: 6 → stage 2 input of length 6, so use 21 to get an odd 11 → 6 → ...
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 42, 1);
        Map<String, INDArray> acts = net.activations(x);
        INDArray in = acts.get("s1b0_relu");
        long length = in.size(2);
        assertEquals(11, length, "42 → 21 → 11");
        INDArray pooled = acts.get("s2b0_id_pool");
        assertEquals(6, pooled.size(2));
        assertEquals(acts.get("s2b0_c2").size(2), pooled.size(2), "both branches ⌈L/2⌉");
        for (int t = 0; t < 6; t++) {
            double sum = in.getDouble(0, 0, 2 * t, 0);
            int n = 1;
            if (2 * t + 1 < length) {
                sum += in.getDouble(0, 0, 2 * t + 1, 0);
                n++;
            }
            assertEquals(sum / n, pooled.getDouble(0, 0, t, 0), 1e-6, "window " + t);
        }
    }

    /** Inception's {@code MaxPool1d(3, 1, padding=1)}: padding never wins, even over negative values. */
    @Test
    void inceptionMaxPoolIgnoresPadding() {
        EcgNetwork net = Backbones.inception1dBuilder().optFilters(1).optBottleneck(1).optDepth(3).build()
                .build(NetworkSpec.of(1, 2, 3));
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 9, 1).subi(2);
        INDArray pooled = net.activations(x).get("im0_pool");
        for (int t = 0; t < 9; t++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = Math.max(0, t - 1); j <= Math.min(8, t + 1); j++) {
                m = Math.max(m, x.getDouble(0, 0, j, 0));
            }
            assertEquals(m, pooled.getDouble(0, 0, t, 0), 1e-6);
        }
    }

    /** Standard deviations of one large layer per initialisation scheme (loose bounds, 10^5–10^6 draws). */
    @Test
    void initialisationFollowsTheReferences() {
        // MVKT paper: kaiming_normal_(fan_out) — for a 1x1 conv 512 → 2048, σ = √(2/2048) (fan_in would give twice).
        ComputationGraph paper = Backbones.xresnet1d101().build(NetworkSpec.of(12, 5, 0)).graph();
        assertEquals(Math.sqrt(2.0 / 2048), paper.getParam("s4b0_c3_W").stdNumber().doubleValue(), 0.001);
        assertEquals(1.0, paper.getParam("s4b0_c3_bn_gamma").minNumber().doubleValue(), 0, "gammas reset to 1");
        // PyTorch default for the linear layer: U(±1/√4096), σ = 1/√(3·4096).
        assertEquals(1 / Math.sqrt(3 * 4096.0), paper.getParam("logits_W").stdNumber().doubleValue(), 0.0005);

        // Benchmark: kaiming_normal_(fan_in) and zero-initialised last BN gamma of each residual branch.
        ComputationGraph bench = Backbones.xresnet1d101Builder()
                .optVariant(Backbones.XResNetVariant.PTBXL_BENCHMARK).build().build(NetworkSpec.of(12, 5, 0)).graph();
        assertEquals(Math.sqrt(2.0 / (64 * 5)), bench.getParam("s3b1_c2_W").stdNumber().doubleValue(), 0.004);
        assertEquals(0.0, bench.getParam("s3b1_c3_bn_gamma").norm1Number().doubleValue(), 0);
        assertEquals(1.0, bench.getParam("s3b1_c2_bn_gamma").minNumber().doubleValue(), 0);
        assertEquals(0.0, bench.getParam("s3b1_c3_bn_beta").norm1Number().doubleValue(), 0);

        // Hannun: Keras he_normal, truncated at 2σ with σ = √(2/(256·16)); the truncation shrinks the std to ≈0.88σ.
        ComputationGraph hannun = Backbones.cnnHannun().build(NetworkSpec.of(12, 5, 0)).graph();
        double sigma = Math.sqrt(2.0 / (256 * 16));
        INDArray w = hannun.getParam("b15_c2_W");
        assertEquals(0.88 * sigma, w.stdNumber().doubleValue(), 0.02 * sigma);
        assertTrue(Math.abs(w.maxNumber().doubleValue()) <= 2 * sigma + 1e-6, "truncated at 2σ");
        assertEquals(0.0, hannun.getParam("b15_c2_b").norm1Number().doubleValue(), 0);
    }

    @Test
    void zooNamesAndBuildersNameBadValues() {
        assertEquals(java.util.List.of("cnn_hannun", "resnet1d34", "resnet1d_wang", "inception1d", "xresnet1d101"),
                Backbones.names());
        for (String n : Backbones.names()) {
            assertEquals(n, Backbones.named(n).name());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Backbones.named("vgg"));
        assertTrue(e.getMessage().contains("vgg"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Backbones.inception1dBuilder().optDepth(4).build());
        assertTrue(e.getMessage().contains("4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Backbones.resnet1d34Builder().optKernel(2).build());
        assertTrue(e.getMessage().contains("2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Backbones.xresnet1d101Builder().optWidths(8, 8).build());
        assertTrue(e.getMessage().contains("same number of stages"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Backbones.cnnHannunBuilder().optFilters(0).build());
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backbones.cnnHannunBuilder().optDropout(1).build());
    }
}
