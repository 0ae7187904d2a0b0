package dev.mvkt.backbones;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Batch-norm helper whose training-mode backward pass replaces libnd4j's {@code batchnorm_bp} (measured at about
 * 36 ms per call on a 32 × 128 × 1000 activation, about a third of a ResNet1d_wang training step) with two fused
 * passes over the data (about 7 ms). Everything else (the forward pass, other layouts and types) goes to DL4J's own
 * oneDNN helper, which this one wraps.
 *
 * <p>With batch statistics μ, σ² (biased) over the {@code M = N·H·W} positions of each channel, x̂ = (x − μ)/√(σ² + ε)
 * and upstream gradient g:
 * <pre>
 *   dβ = Σ g,   dγ = Σ g·x̂ = (Σ g·x − μ·Σ g)/√(σ² + ε)
 *   dx = γ/√(σ² + ε) · (g − dβ/M − x̂·dγ/M)  =  k·g + b·x + a   (per-channel k, b, a)
 * </pre>
 * The sums accumulate in double, per row, from float rows copied in bulk so the JIT can vectorise the loops.
 */
final class FastBatchNorm implements BatchNormalizationHelper {
    private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
            pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("mvkt-batchnorm-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            }, null, false);

    private final BatchNormalizationHelper delegate;

    FastBatchNorm(BatchNormalizationHelper delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return delegate.checkSupported(eps, fixedGammaBeta);
    }

    @Override
    public boolean checkSupported() {
        return delegate.checkSupported();
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return delegate.helperMemoryUse();
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
                              INDArray mean, INDArray var, double decay, double eps, CNN2DFormat format,
                              LayerWorkspaceMgr workspaceMgr) {
        return delegate.preOutput(x, training, shape, gamma, beta, mean, var, decay, eps, format, workspaceMgr);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return delegate.getMeanCache(dataType);
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return delegate.getVarCache(dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView,
                                                     double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        INDArray meanCache = delegate.getMeanCache(DataType.FLOAT);
        if (format != CNN2DFormat.NCHW || input.rank() != 4 || input.dataType() != DataType.FLOAT
                || epsilon.dataType() != DataType.FLOAT || gamma == null || dGammaView == null || meanCache == null
                || input.length() > Integer.MAX_VALUE) {
            return delegate.backpropGradient(input, epsilon, shape, gamma, beta, dGammaView, dBetaView, eps, format,
                    workspaceMgr);
        }
        INDArray x = contiguous(input);
        INDArray g = contiguous(epsilon);
        int channels = (int) x.size(1);
        float[] mean = meanCache.toFloatVector();
        float[] var = delegate.getVarCache(DataType.FLOAT).toFloatVector();
        float[] gam = gamma.toFloatVector();
        float[] dGamma = new float[channels];
        float[] dBeta = new float[channels];
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape(), 'c');
        backward(x, g, mean, var, gam, eps, dx, dGamma, dBeta);
        put(dGammaView, dGamma);
        put(dBetaView, dBeta);
        Gradient grad = new DefaultGradient();
        grad.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        grad.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(grad, dx);
    }

    private static INDArray contiguous(INDArray a) {
        return Shape.hasDefaultStridesForShape(a) && a.ordering() == 'c' ? a : a.dup('c');
    }

    private static void put(INDArray view, float[] values) {
        for (int i = 0; i < values.length; i++) {
            view.putScalar(i, values[i]);
        }
    }

    /** The two passes, parallel over channels; x, g and dx are c-ordered {@code [N, C, H, W]}. */
    static void backward(INDArray x, INDArray g, float[] mean, float[] var, float[] gamma, double eps, INDArray dx,
                         float[] dGamma, float[] dBeta) {
        int n = (int) x.size(0);
        int channels = (int) x.size(1);
        int row = (int) (x.length() / ((long) n * channels));
        FloatBuffer xb = x.data().asNioFloat();
        FloatBuffer gb = g.data().asNioFloat();
        FloatBuffer ob = dx.data().asNioFloat();
        int xo = (int) x.offset();
        int go = (int) g.offset();
        int oo = (int) dx.offset();
        double m = (double) n * row;
        int chunks = Math.min(channels, POOL.getParallelism() * 4);
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks];
        for (int t = 0; t < chunks; t++) {
            int c0 = t * channels / chunks;
            int c1 = (t + 1) * channels / chunks;
            tasks[t] = POOL.submit(() -> {
                float[] xr = new float[row];
                float[] gr = new float[row];
                float[] or = new float[row];
                for (int c = c0; c < c1; c++) {
                    double sumG = 0;
                    double sumGx = 0;
                    for (int i = 0; i < n; i++) {
                        int base = (i * channels + c) * row;
                        xb.get(xo + base, xr, 0, row);
                        gb.get(go + base, gr, 0, row);
                        float s = 0;
                        float sx = 0;
                        for (int j = 0; j < row; j++) {
                            s += gr[j];
                            sx += gr[j] * xr[j];
                        }
                        sumG += s;
                        sumGx += sx;
                    }
                    double invStd = 1.0 / Math.sqrt(var[c] + eps);
                    double dG = invStd * (sumGx - mean[c] * sumG);
                    double k = gamma[c] * invStd;
                    double b = -k * invStd * dG / m;
                    double a = -k * sumG / m - b * mean[c];
                    float kf = (float) k;
                    float bf = (float) b;
                    float af = (float) a;
                    for (int i = 0; i < n; i++) {
                        int base = (i * channels + c) * row;
                        xb.get(xo + base, xr, 0, row);
                        gb.get(go + base, gr, 0, row);
                        for (int j = 0; j < row; j++) {
                            or[j] = kf * gr[j] + bf * xr[j] + af;
                        }
                        ob.put(oo + base, or, 0, row);
                    }
                    dGamma[c] = (float) dG;
                    dBeta[c] = (float) sumG;
                }
            });
        }
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }
}
