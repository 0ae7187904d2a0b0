package dev.mvkt.backbones.engine;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * {@link FastPooling} against DL4J's own pooling layer (libnd4j's ops, with DL4J's oneDNN helper for the backward pass
 * where oneDNN is loaded, as networks run it with {@code optFastLayers(false)}): the pooling configurations mvkt's
 * backbones use, on odd and even lengths, all-negative rows (a zero padding would win a max) and rows full of ties
 * (ReLU outputs).
 */
class FastPoolingTest {
    private static final LayerWorkspaceMgr MGR = LayerWorkspaceMgr.noWorkspaces();

    /** kernel, stride, padding, mode, type: the backbones' max-pool 3/1/1 and 3/2/1 and their ceil-mode pools by 2. */
    private record Config(int kernel, int stride, int padding, ConvolutionMode mode, PoolingType type) {
    }

    private static final Config[] CONFIGS = {
            new Config(3, 1, 1, ConvolutionMode.Truncate, PoolingType.MAX),
            new Config(3, 2, 1, ConvolutionMode.Truncate, PoolingType.MAX),
            new Config(2, 2, 0, ConvolutionMode.Same, PoolingType.MAX),
            new Config(2, 2, 0, ConvolutionMode.Same, PoolingType.AVG),
            new Config(3, 3, 0, ConvolutionMode.Same, PoolingType.AVG),
            new Config(5, 2, 2, ConvolutionMode.Truncate, PoolingType.AVG),
    };

    @Test
    void forwardAndBackwardEqualDl4jsOnEveryConfigurationAndLength() {
        qt().withExamples(60).forAll(integers().between(0, CONFIGS.length - 1), integers().between(3, 41),
                        integers().between(0, 2), integers().between(1, 1_000_000))
                .checkAssert((config, length, kind, seed) -> compare(CONFIGS[config], length, kind, seed));
    }

    /** The network-sized case once: 4 × 16 rows of 1000, ReLU-like input. */
    @Test
    void aLongReluRowEqualsDl4js() {
        compare(CONFIGS[0], 1000, 2, 5);
        compare(CONFIGS[2], 999, 2, 6);
    }

    /** Rows that are not c-contiguous and a non-float type go to DL4J's own code, with the same result. */
    @Test
    void otherLayoutsRunDl4jsCode() {
        NeuralNetConfiguration conf = conf(CONFIGS[0]);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 1, 9).permute(1, 0, 2, 3); // [3, 2, 1, 9], not c order
        INDArray want = layer(new SubsamplingLayer(conf, DataType.FLOAT), x).activate(false, MGR);
        INDArray got = layer(new FastPooling(conf, DataType.FLOAT, null), x).activate(false, MGR);
        assertEquals(want, got);
    }

    private static void compare(Config c, int length, int kind, int seed) {
        Random rng = new Random(seed);
        int n = 2;
        int ch = 3;
        if (length == 1000) {
            n = 4;
            ch = 16;
        }
        float[] xs = new float[n * ch * length];
        for (int i = 0; i < xs.length; i++) {
            double v = rng.nextGaussian();
            // kind 0: mixed signs; 1: all negative (padding must never win); 2: ReLU outputs, many equal zeros.
            xs[i] = (float) (kind == 0 ? v : kind == 1 ? -1 - Math.abs(v) : Math.max(0, v));
        }
        INDArray x = Nd4j.create(xs, new long[]{n, ch, 1, length}, 'c');
        NeuralNetConfiguration conf = conf(c);
        SubsamplingLayer dl4j = new SubsamplingLayer(conf, DataType.FLOAT);
        if (Engine.oneDnnLoaded()) {
            setHelper(dl4j, new MKLDNNSubsamplingHelper(DataType.FLOAT));
        }
        FastPooling fast = new FastPooling(conf, DataType.FLOAT, null);
        INDArray want = layer(dl4j, x).activate(true, MGR);
        INDArray got = layer(fast, x).activate(true, MGR);
        String what = c + " length " + length + " kind " + kind + " seed " + seed;
        assertArrayEquals(want.shape(), got.shape(), what);
        assertTrue(fast.getHelper() == null);
        assertArrayEquals(want.data().asFloat(), got.data().asFloat(), 1e-6f, what);

        float[] es = new float[(int) want.length()];
        for (int i = 0; i < es.length; i++) {
            es[i] = (float) rng.nextGaussian();
        }
        INDArray eps = Nd4j.create(es, want.shape(), 'c');
        INDArray dWant = dl4j.backpropGradient(eps.dup(), MGR).getSecond();
        INDArray dGot = fast.backpropGradient(eps.dup(), MGR).getSecond();
        assertArrayEquals(x.shape(), dGot.shape(), what);
        float[] a = dWant.dup('c').data().asFloat();
        float[] b = dGot.data().asFloat();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5f * Math.max(1, Math.abs(a[i])), what + " at " + i + ": " + Arrays.toString(
                    Arrays.copyOfRange(a, Math.max(0, i - 3), Math.min(a.length, i + 4))) + " vs "
                    + Arrays.toString(Arrays.copyOfRange(b, Math.max(0, i - 3), Math.min(b.length, i + 4))));
        }
    }

    private static NeuralNetConfiguration conf(Config c) {
        return new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).convolutionMode(ConvolutionMode.Truncate)
                .layer(new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder(c.type)
                        .kernelSize(1, c.kernel).stride(1, c.stride).padding(0, c.padding)
                        .convolutionMode(c.mode).avgPoolIncludePadInDivisor(false).build())
                .build();
    }

    private static <L extends SubsamplingLayer> L layer(L l, INDArray x) {
        l.setInput(x, MGR);
        return l;
    }

    private static void setHelper(SubsamplingLayer l, Object helper) {
        try {
            var f = SubsamplingLayer.class.getDeclaredField("helper");
            f.setAccessible(true);
            f.set(l, helper);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
