package dev.mvkt.backbones.engine;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast batch-norm backward pass against a double-precision reference and against DL4J's own path. */
class FastBatchNormTest {

    @Test
    void backwardMatchesADoublePrecisionReference() {
        Random rng = new Random(7);
        int n = 3;
        int c = 5;
        int w = 11;
        float[] xs = new float[n * c * w];
        float[] gs = new float[n * c * w];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (2 + 3 * rng.nextGaussian());
            gs[i] = (float) rng.nextGaussian();
        }
        INDArray x = Nd4j.create(xs, new long[]{n, c, 1, w}, 'c');
        INDArray g = Nd4j.create(gs, new long[]{n, c, 1, w}, 'c');
        float[] gamma = new float[c];
        for (int k = 0; k < c; k++) {
            gamma[k] = (float) (0.5 + rng.nextDouble());
        }
        double eps = 1e-5;
        double[][] ref = reference(xs, gs, gamma, n, c, w, eps);
        float[] mean = new float[c];
        float[] var = new float[c];
        for (int k = 0; k < c; k++) {
            mean[k] = (float) ref[3][k];
            var[k] = (float) ref[4][k];
        }
        INDArray dx = x.ulike();
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        FastBatchNorm.backward(x, g, mean, var, gamma, eps, dx, dGamma, dBeta);
        float[] got = dx.data().asFloat();
        for (int i = 0; i < got.length; i++) {
            assertEquals(ref[0][i], got[i], 1e-5 * (1 + Math.abs(ref[0][i])), "dx[" + i + "]");
        }
        for (int k = 0; k < c; k++) {
            assertEquals(ref[1][k], dGamma[k], 1e-4 * (1 + Math.abs(ref[1][k])), "dGamma[" + k + "]");
            assertEquals(ref[2][k], dBeta[k], 1e-4 * (1 + Math.abs(ref[2][k])), "dBeta[" + k + "]");
        }
        // The same arrays as views into larger buffers (non-zero offsets) give the same answer.
        INDArray bigX = Nd4j.create(DataType.FLOAT, 2 * n, c, 1, w);
        INDArray bigG = bigX.ulike();
        INDArray bigOut = bigX.ulike();
        INDArray vx = bigX.get(NDArrayIndex.interval(n, 2 * n)).assign(x);
        INDArray vg = bigG.get(NDArrayIndex.interval(n, 2 * n)).assign(g);
        INDArray vo = bigOut.get(NDArrayIndex.interval(n, 2 * n));
        assertTrue(vx.offset() > 0);
        FastBatchNorm.backward(vx, vg, mean, var, gamma, eps, vo, new float[c], new float[c]);
        assertArrayEquals(got, vo.dup().data().asFloat(), 0f);
        assertEquals(0.0, bigOut.get(NDArrayIndex.interval(0, n)).amaxNumber().doubleValue(), "writes stay in the view");
    }

    @Test
    void forwardStatisticsMatchADoublePrecisionReferenceEvenFarFromZero() {
        Random rng = new Random(11);
        int n = 4;
        int c = 3;
        int w = 257;
        float[] xs = new float[n * c * w];
        for (int i = 0; i < xs.length; i++) {
            int channel = (i / w) % c;
            // Channel 2 sits at 1000 with unit spread: summing raw squares in float would cancel its variance away.
            xs[i] = (float) (channel * 500 + (channel + 1) * rng.nextGaussian());
        }
        INDArray x = Nd4j.create(xs, new long[]{n, c, 1, w}, 'c');
        double[][] ref = reference(xs, new float[xs.length], new float[c], n, c, w, 1e-5);
        float[] mean = new float[c];
        float[] var = new float[c];
        FastBatchNorm.statistics(x, mean, var);
        for (int k = 0; k < c; k++) {
            assertEquals(ref[3][k], mean[k], 1e-6 * (1 + Math.abs(ref[3][k])), "mean[" + k + "]");
            assertEquals(ref[4][k], var[k], 1e-5 * ref[4][k], "var[" + k + "]");
        }
        INDArray big = Nd4j.create(DataType.FLOAT, 2 * n, c, 1, w);
        INDArray view = big.get(NDArrayIndex.interval(n, 2 * n)).assign(x);
        assertTrue(view.offset() > 0);
        float[] mean2 = new float[c];
        float[] var2 = new float[c];
        FastBatchNorm.statistics(view, mean2, var2);
        assertArrayEquals(mean, mean2, 0f);
        assertArrayEquals(var, var2, 0f);
    }

    @Test
    void contiguityIgnoresTheStridesOfSizeOneDimensions() {
        INDArray a = Nd4j.create(DataType.FLOAT, 4, 6, 1, 10);
        assertTrue(FastBatchNorm.isCContiguous(a));
        assertTrue(FastBatchNorm.isCContiguous(Nd4j.create(DataType.FLOAT, 8, 6, 1, 10)
                .get(NDArrayIndex.interval(4, 8))));
        assertFalse(FastBatchNorm.isCContiguous(a.permute(1, 0, 2, 3)));
        assertFalse(FastBatchNorm.isCContiguous(Nd4j.create(DataType.FLOAT, 4, 6, 1, 20)
                .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 10))));
    }

    /** Plain double-precision batch norm backward: {dx, dGamma, dBeta, mean, biased variance}. */
    private static double[][] reference(float[] x, float[] g, float[] gamma, int n, int c, int w, double eps) {
        double[] dx = new double[x.length];
        double[] dGamma = new double[c];
        double[] dBeta = new double[c];
        double[] mean = new double[c];
        double[] var = new double[c];
        double m = (double) n * w;
        for (int k = 0; k < c; k++) {
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < w; t++) {
                    mean[k] += x[(i * c + k) * w + t] / m;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < w; t++) {
                    double d = x[(i * c + k) * w + t] - mean[k];
                    var[k] += d * d / m;
                }
            }
            double inv = 1 / Math.sqrt(var[k] + eps);
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < w; t++) {
                    int at = (i * c + k) * w + t;
                    dBeta[k] += g[at];
                    dGamma[k] += g[at] * (x[at] - mean[k]) * inv;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < w; t++) {
                    int at = (i * c + k) * w + t;
                    double xhat = (x[at] - mean[k]) * inv;
                    dx[at] = gamma[k] * inv * (g[at] - dBeta[k] / m - xhat * dGamma[k] / m);
                }
            }
        }
        return new double[][]{dx, dGamma, dBeta, mean, var};
    }

}
