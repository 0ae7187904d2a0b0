package dev.mvkt.backbones.engine;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingHelper;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/**
 * A DL4J pooling layer whose forward and backward passes over one-row inputs ({@code [N, C, 1, L]}, float, NCHW,
 * kernel and stride {@code (1, k)}, no dilation, truncate or same mode, max or average without the padding in the
 * divisor) run as plain loops over each row; every other case runs DL4J's own code.
 *
 * <p>Why: DL4J {@value Engine#SUPPORTED_VERSION}'s pooling layer runs libnd4j's {@code maxpool2d}/{@code avgpool2d}
 * and their {@code _bp} ops (its forward pass never consults a helper). On these shapes they took 106 ms (forward) and
 * 153 ms (backward) per call on one 32 × 128 × 1000 activation on one thread: 1.5 s, 44%, of an Inception1d
 * training step. The loops here take a few milliseconds: a window of k values per output.
 *
 * <p>Semantics, as DL4J's (checked against it by {@code FastPoolingTest} and {@code TrainingEquivalenceTest}):
 * windows start at {@code o·s − pad} (pad: the layer's padding in truncate mode, DL4J's top-left padding in same
 * mode); padded positions never win a max and are not counted in an average; the gradient of a max goes to the first
 * maximum of its window.
 */
final class FastPooling extends SubsamplingLayer {

    FastPooling(NeuralNetConfiguration conf, DataType dataType, SubsamplingHelper helper) {
        super(conf, dataType);
        this.helper = helper;
    }

    /** The lay-out of one call, or null when DL4J's own code must run. */
    private record Geometry(int rows, int length, int outLength, int kernel, int stride, int pad, boolean max) {
    }

    private Geometry geometry(INDArray in) {
        var c = layerConf();
        if (in == null || in.rank() != 4 || in.dataType() != DataType.FLOAT || in.size(2) != 1
                || c.getCnn2dDataFormat() != CNN2DFormat.NCHW || !FastBatchNorm.isCContiguous(in)
                || in.length() > Integer.MAX_VALUE) {
            return null;
        }
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] d = c.getDilation();
        int[] p = c.getPadding();
        if (k[0] != 1 || s[0] != 1 || d[0] != 1 || d[1] != 1 || p[0] != 0) {
            return null;
        }
        boolean max = c.getPoolingType() == PoolingType.MAX;
        if (!max && (c.getPoolingType() != PoolingType.AVG || c.isAvgPoolIncludePadInDivisor())) {
            return null;
        }
        int length = (int) in.size(3);
        int outLength;
        int pad;
        if (convolutionMode == ConvolutionMode.Same) {
            outLength = (int) Math.ceil(length / (double) s[1]);
            pad = ConvolutionUtils.getSameModeTopLeftPadding(new int[]{1, outLength}, new int[]{1, length}, k, s,
                    d)[1];
        } else if (convolutionMode == ConvolutionMode.Truncate) {
            outLength = (length + 2 * p[1] - k[1]) / s[1] + 1;
            pad = p[1];
        } else {
            return null;
        }
        if (outLength < 1) {
            return null;
        }
        return new Geometry((int) (in.size(0) * in.size(1)), length, outLength, k[1], s[1], pad, max);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        Geometry g = geometry(input);
        if (g == null) {
            return super.activate(training, workspaceMgr);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{input.size(0), input.size(1), 1, g.outLength}, 'c');
        forward(input, out, g);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Geometry g = geometry(input);
        if (g == null || epsilon.dataType() != DataType.FLOAT || epsilon.length() != (long) g.rows * g.outLength) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray eps = FastBatchNorm.isCContiguous(epsilon) ? epsilon : epsilon.dup('c');
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        backward(input, eps, dx, g);
        return new Pair<>(new DefaultGradient(), dx);
    }

    private static void forward(INDArray x, INDArray out, Geometry g) {
        FloatBuffer xb = x.data().asNioFloat();
        FloatBuffer ob = out.data().asNioFloat();
        int xo = (int) x.offset();
        int oo = (int) out.offset();
        FastBatchNorm.forChannelRanges(g.rows, (r0, r1) -> {
            float[] xr = new float[g.length];
            float[] or = new float[g.outLength];
            for (int r = r0; r < r1; r++) {
                xb.get(xo + r * g.length, xr, 0, g.length);
                if (g.max) {
                    maxRow(xr, or, g);
                } else {
                    for (int o = 0; o < g.outLength; o++) {
                        int start = o * g.stride - g.pad;
                        int from = Math.max(0, start);
                        int to = Math.min(g.length, start + g.kernel);
                        float sum = 0;
                        for (int j = from; j < to; j++) {
                            sum += xr[j];
                        }
                        or[o] = sum / (to - from);
                    }
                }
                ob.put(oo + r * g.outLength, or, 0, g.outLength);
            }
        });
    }

    /** First and last output (inclusive) whose window lies wholly inside the row. */
    private static int firstInner(Geometry g) {
        return (g.pad + g.stride - 1) / g.stride;
    }

    private static int lastInner(Geometry g) {
        return g.length - g.kernel + g.pad < 0 ? -1 : Math.min(g.outLength - 1,
                (g.length - g.kernel + g.pad) / g.stride);
    }

    /**
     * The window maxima of one row. Math.max, not a comparison, because it compiles to branch-free code (on random
     * data a branch per element is mispredicted about half the time); inner windows are taken one kernel offset at
     * a time over all outputs, a loop the JIT vectorises at stride 1.
     */
    private static void maxRow(float[] xr, float[] or, Geometry g) {
        int lo = firstInner(g);
        int hi = lastInner(g);
        int s = g.stride;
        int p = g.pad;
        if (lo <= hi) {
            for (int o = lo; o <= hi; o++) {
                or[o] = xr[o * s - p];
            }
            for (int j = 1; j < g.kernel; j++) {
                int shift = j - p;
                for (int o = lo; o <= hi; o++) {
                    or[o] = Math.max(or[o], xr[o * s + shift]);
                }
            }
        }
        for (int o = 0; o < g.outLength; o++) {
            if (o == lo && lo <= hi) {
                o = hi;
                continue;
            }
            int start = o * s - p;
            int from = Math.max(0, start);
            int to = Math.min(g.length, start + g.kernel);
            float m = xr[from];
            for (int j = from + 1; j < to; j++) {
                m = Math.max(m, xr[j]);
            }
            or[o] = m;
        }
    }

    private static void backward(INDArray x, INDArray eps, INDArray dx, Geometry g) {
        FloatBuffer xb = x.data().asNioFloat();
        FloatBuffer eb = eps.data().asNioFloat();
        FloatBuffer db = dx.data().asNioFloat();
        int xo = (int) x.offset();
        int eo = (int) eps.offset();
        int dof = (int) dx.offset();
        FastBatchNorm.forChannelRanges(g.rows, (r0, r1) -> {
            float[] xr = new float[g.length];
            float[] er = new float[g.outLength];
            float[] dr = new float[g.length];
            float[] m = new float[g.outLength];
            int[] arg = new int[g.outLength];
            for (int r = r0; r < r1; r++) {
                if (g.max) {
                    xb.get(xo + r * g.length, xr, 0, g.length);
                }
                eb.get(eo + r * g.outLength, er, 0, g.outLength);
                java.util.Arrays.fill(dr, 0f);
                if (g.max) {
                    maxRow(xr, m, g);
                    // The first position of each window that holds its maximum, as DL4J routes the gradient: kernel
                    // offsets from the last to the first, each a conditional move rather than a branch.
                    for (int o = 0; o < g.outLength; o++) {
                        int start = o * g.stride - g.pad;
                        int from = Math.max(0, start);
                        int to = Math.min(g.length, start + g.kernel);
                        int a = to - 1;
                        for (int j = to - 2; j >= from; j--) {
                            a = xr[j] == m[o] ? j : a;
                        }
                        arg[o] = a;
                    }
                    for (int o = 0; o < g.outLength; o++) {
                        dr[arg[o]] += er[o];
                    }
                } else {
                    for (int o = 0; o < g.outLength; o++) {
                        int start = o * g.stride - g.pad;
                        int from = Math.max(0, start);
                        int to = Math.min(g.length, start + g.kernel);
                        float share = er[o] / (to - from);
                        for (int j = from; j < to; j++) {
                            dr[j] += share;
                        }
                    }
                }
                db.put(dof + r * g.length, dr, 0, g.length);
            }
        });
    }
}
