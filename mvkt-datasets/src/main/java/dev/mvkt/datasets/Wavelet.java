package dev.mvkt.datasets;

import java.util.Arrays;

/**
 * An orthogonal wavelet's discrete wavelet transform, in double precision, computing what PyWavelets computes with
 * its default signal extension mode {@code 'symmetric'}: {@link #wavedec} is {@code pywt.wavedec(x, w, level)},
 * {@link #waverec} is {@code pywt.waverec(coeffs, w)}. {@link #denoise} is the CPSC2018 denoising of the paper's
 * code (Daubechies 6, level 9, approximation cA9 and details cD1 and cD2 set to zero).
 *
 * <p>One analysis step of a signal {@code x} of {@code n} samples with the decomposition filter {@code h} of
 * {@code F} taps gives {@code (n + F - 1) / 2} (integer division) coefficients
 * <pre>
 *   c[k] = sum_{j=0}^{F-1} h[j] * x[s(2k + 1 - j)],   s(i) = p if p &lt; n, else 2n - 1 - p,   p = i mod 2n,
 * </pre>
 * that is, {@code x} continued as {@code ... x1 x0 | x0 x1 ... x(n-1) | x(n-1) x(n-2) ...}, mirrored again as often
 * as a signal shorter than the filter needs ({@code s} folds any index into 0..n-1). The approximation uses the low
 * pass {@code h = decLo}, the detail the high pass {@code decHi[j] = (-1)^(j+1) decLo[F-1-j]}. One synthesis step
 * turns {@code L} approximation and {@code L} detail coefficients into {@code 2L - F + 2} samples:
 * <pre>
 *   y[i] = sum_k a[k] * g[i + F - 2 - 2k] + d[k] * g'[i + F - 2 - 2k],   g = reversed decLo, g' = reversed decHi,
 * </pre>
 * the terms with the filter index outside 0..F-1 being left out. Between levels an approximation one longer than
 * the next detail loses its last coefficient, as pywt's {@code waverec} does; an odd-length input therefore
 * reconstructs to {@code n + 1} samples, of which the first {@code n} are the signal.
 *
 * <p>These formulas were checked against PyWavelets 1.1.1 (all coefficients and reconstructions, signals of 1 to
 * 30001 samples, to rounding; see {@code src/test/resources/dev/mvkt/datasets/pywt}). Like pywt, a level above
 * {@link #maxLevel} is computed, not refused: every coefficient is then influenced by the mirrored edges (pywt only
 * warns).
 */
final class Wavelet {
    /**
     * Daubechies 6 (12 taps, 6 vanishing moments) decomposition low pass, as pywt's {@code Wavelet('db6').dec_lo};
     * it sums to sqrt(2) and has unit energy.
     */
    private static final double[] DB6_DEC_LO = {
        -0.0010773010853084796, 0.004777257510945511, 0.0005538422011614961, -0.03158203931748603,
        0.027522865530305727, 0.09750160558732304, -0.12976686756726194, -0.22626469396543983,
        0.31525035170919763, 0.7511339080210954, 0.49462389039845306, 0.11154074335010947};

    /** Daubechies 6, {@code pywt.Wavelet('db6')}. */
    static final Wavelet DB6 = new Wavelet("db6", DB6_DEC_LO);

    /** The decomposition level of the paper's denoising. */
    static final int DENOISE_LEVEL = 9;

    private final String name;
    private final double[] decLo;
    private final double[] decHi;
    private final double[] recLo;
    private final double[] recHi;

    private Wavelet(String name, double[] decLo) {
        int f = decLo.length;
        this.name = name;
        this.decLo = decLo.clone();
        this.decHi = new double[f];
        this.recLo = new double[f];
        this.recHi = new double[f];
        for (int j = 0; j < f; j++) {
            decHi[j] = (j % 2 == 0 ? -1 : 1) * decLo[f - 1 - j];
        }
        for (int j = 0; j < f; j++) {
            recLo[j] = decLo[f - 1 - j];
            recHi[j] = decHi[f - 1 - j];
        }
    }

    /** Filter length {@code F}. */
    int filterLength() {
        return decLo.length;
    }

    double[] decLo() {
        return decLo.clone();
    }

    double[] decHi() {
        return decHi.clone();
    }

    /**
     * {@code pywt.dwt_max_level(n, F)}: {@code floor(log2(n / (F - 1)))}, 0 when {@code n < F - 1}; the deepest
     * level at which some coefficients are still free of edge effects.
     */
    int maxLevel(int n) {
        requireLength(n);
        int level = 0;
        long span = decLo.length - 1;
        while (span * 2 <= n) {
            span *= 2;
            level++;
        }
        return level;
    }

    /** Coefficients per array of {@code wavedec(x, level)} for {@code n} samples: cA, cD(level), ..., cD1. */
    int[] coefficientLengths(int n, int level) {
        requireLength(n);
        requireLevel(level);
        int[] out = new int[level + 1];
        int len = n;
        for (int l = level; l >= 1; l--) {
            len = (len + decLo.length - 1) / 2;
            out[l] = len;
        }
        out[0] = level == 0 ? n : len;
        return out;
    }

    /**
     * {@code pywt.wavedec(x, name, level=level)} in mode 'symmetric': {@code [cA_level, cD_level, ..., cD1]}.
     *
     * @throws IllegalArgumentException naming the problem when {@code x} is null, empty or not finite, or the level
     *                                  is negative
     */
    double[][] wavedec(double[] x, int level) {
        requireSignal(x);
        requireLevel(level);
        double[][] out = new double[level + 1][];
        double[] a = x.clone();
        for (int l = level; l >= 1; l--) {
            double[] padded = symmetricPad(a);
            out[l] = analyse(padded, a.length, decHi);
            a = analyse(padded, a.length, decLo);
        }
        out[0] = a;
        return out;
    }

    /**
     * {@code pywt.waverec(coeffs, name)} in mode 'symmetric'; the result may be one sample longer than the signal
     * the coefficients came from (see the class comment).
     *
     * @throws IllegalArgumentException when an array is null, or lengths do not chain as {@link #wavedec}'s do
     */
    double[] waverec(double[][] coeffs) {
        if (coeffs == null || coeffs.length == 0) {
            throw new IllegalArgumentException(name + " waverec: no coefficient arrays ("
                    + (coeffs == null ? "null" : "empty") + "); expected [cA, cD_level, ..., cD1]");
        }
        for (int k = 0; k < coeffs.length; k++) {
            if (coeffs[k] == null) {
                throw new IllegalArgumentException(name + " waverec: coefficient array " + k + " of "
                        + coeffs.length + " is null");
            }
        }
        double[] a = coeffs[0].clone();
        for (int k = 1; k < coeffs.length; k++) {
            double[] d = coeffs[k];
            int len = d.length;
            if (a.length != len && a.length != len + 1) {
                throw new IllegalArgumentException(name + " waverec: approximation of " + a.length
                        + " coefficients cannot combine with detail array " + k + " of " + len
                        + "; expected " + len + " or " + (len + 1));
            }
            if (2 * len - decLo.length + 2 < 0) {
                throw new IllegalArgumentException(name + " waverec: detail array " + k + " has " + len
                        + " coefficients; at least " + (decLo.length / 2 - 1) + " expected");
            }
            a = synthesise(a, d, len);
        }
        return a;
    }

    /**
     * The paper's CPSC2018 denoising of one lead, in double precision:
     * {@code c = wavedec(x, db6, level=9); c[0] = c[-1] = c[-2] = 0; y = waverec(c, db6)[:n]}. It keeps roughly
     * 0.5–62.5 Hz at 500 Hz sampling: cA9 holds 0–0.49 Hz (baseline wander and offset), cD2 62.5–125 Hz, cD1
     * 125–250 Hz. Signals shorter than {@code 11 * 2^9 = 5632} samples are still decomposed to level 9, as pywt does.
     * Unlike the paper's code, which keeps pywt's extra sample for odd lengths, the output has exactly {@code n}
     * samples.
     *
     * @throws IllegalArgumentException naming the problem when {@code x} is null, empty or not finite
     */
    static double[] denoise(double[] x) {
        double[][] c = DB6.wavedec(x, DENOISE_LEVEL);
        Arrays.fill(c[0], 0);
        Arrays.fill(c[DENOISE_LEVEL], 0);
        Arrays.fill(c[DENOISE_LEVEL - 1], 0);
        return Arrays.copyOf(DB6.waverec(c), x.length);
    }

    /** {@link #denoise(double[])} of a float lead, computed in double and rounded once to float. */
    static float[] denoise(float[] x) {
        if (x == null) {
            throw new IllegalArgumentException("db6 denoise: signal is null");
        }
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        double[] y = denoise(d);
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = (float) y[i];
        }
        return out;
    }

    /** {@code x} with {@code F - 1} mirrored samples on each side (mirrored repeatedly when {@code x} is shorter). */
    private double[] symmetricPad(double[] x) {
        int n = x.length;
        int pad = decLo.length - 1;
        double[] p = new double[n + 2 * pad];
        for (int i = -pad; i < n + pad; i++) {
            int m = Math.floorMod(i, 2 * n);
            p[i + pad] = x[m < n ? m : 2 * n - 1 - m];
        }
        return p;
    }

    /** {@code c[k] = sum_j h[j] x[2k + 1 - j]} over the padded signal; {@code (n + F - 1) / 2} coefficients. */
    private double[] analyse(double[] padded, int n, double[] h) {
        int f = h.length;
        int pad = f - 1;
        double[] c = new double[(n + f - 1) / 2];
        for (int k = 0; k < c.length; k++) {
            int top = 2 * k + 1 + pad;
            double s = 0;
            for (int j = 0; j < f; j++) {
                s += h[j] * padded[top - j];
            }
            c[k] = s;
        }
        return c;
    }

    /** One synthesis step from the first {@code len} approximation and the {@code len} detail coefficients. */
    private double[] synthesise(double[] a, double[] d, int len) {
        int f = decLo.length;
        double[] y = new double[2 * len - f + 2];
        for (int i = 0; i < y.length; i++) {
            int t = i + f - 2;
            // k with 0 <= t - 2k < f and 0 <= k < len
            int kLo = Math.max(0, (t - f + 2) / 2);
            int kHi = Math.min(len - 1, t / 2);
            double s = 0;
            for (int k = kLo; k <= kHi; k++) {
                int j = t - 2 * k;
                s += a[k] * recLo[j] + d[k] * recHi[j];
            }
            y[i] = s;
        }
        return y;
    }

    private void requireSignal(double[] x) {
        if (x == null) {
            throw new IllegalArgumentException(name + " wavedec: signal is null");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException(name + " wavedec: signal has 0 samples; expected at least 1");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(name + " wavedec: sample " + i + " is " + x[i]
                        + "; expected a finite number");
            }
        }
    }

    private static void requireLength(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("signal length " + n + "; expected at least 1");
        }
    }

    private void requireLevel(int level) {
        if (level < 0) {
            throw new IllegalArgumentException(name + ": level " + level + "; expected 0 or more");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
