package dev.mvkt.losses;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * NT-Xent (normalised temperature-scaled cross entropy, SimCLR, Chen et al. 2020), the contrastive loss of
 * CLECG-style self-supervised pretraining: the two augmented views of one ECG must pick each other out among the
 * other records' views in the same batch. No labels are involved.
 *
 * <p>Inputs are the raw projections a_i, b_i ∈ R^D of the two views of record i, i = 1..N. With τ the temperature:
 * <pre>
 *   â_i = a_i / max(‖a_i‖, 1e-12)        (b̂_i likewise; torch's F.normalize, so gradients flow through it)
 *   z   = [â_1 .. â_N, b̂_1 .. b̂_N]        (2N anchors)
 *   s_kj = z_k·z_j / τ
 *   ℓ_k = −s_k,p(k) + log Σ_{j≠k} exp(s_kj)      p(k): the other view of the same record
 *   L   = 1/(2N) · Σ_k ℓ_k
 *   ∂L/∂z_k = 1/(2Nτ) · ( Σ_{j≠k} (P_kj + P_jk) z_j − 2 z_p(k) ),   P_kj = softmax_{j≠k}(s_k·)
 * </pre>
 * Negatives are the batch's other 2N − 2 views (no memory bank), so N ≥ 2. The log-sum-exp is taken after
 * subtracting the row maximum, so temperatures far below 0.1 do not overflow. Because every s lies in [−1/τ, 1/τ],
 * log(1 + (2N−2)·e^(−2/τ)) ≤ L ≤ log(1 + (2N−2)·e^(2/τ)).
 *
 * <p>The CLECG paper (Chen et al. 2021a) gives no hyperparameters; {@link #DEFAULT_TEMPERATURE} is a SimCLR-style
 * choice, not the paper's. Instances are immutable and thread-safe.
 */
public final class NtXentLoss {
    /** SimCLR-style default (SimCLR reports 0.1 among its best); the CLECG paper gives no hyperparameters. */
    public static final double DEFAULT_TEMPERATURE = 0.1;
    static final String NAME = "nt-xent";
    /** As torch's F.normalize: below this norm a row is divided by the constant instead. */
    static final double NORM_EPS = 1e-12;

    private final double temperature;

    private NtXentLoss(double temperature) {
        this.temperature = temperature;
    }

    /**
     * NT-Xent with temperature {@code temperature}.
     *
     * @throws IllegalArgumentException when the temperature is not finite and positive, naming the value
     */
    public static NtXentLoss of(double temperature) {
        Numerics.requireFinitePositive("nt-xent temperature", temperature);
        return new NtXentLoss(temperature);
    }

    /** The loss and its gradients with respect to the raw projections {@code a} and {@code b}. */
    public record Value(double value, double[][] dA, double[][] dB) {
    }

    /**
     * NT-Xent of the two views' raw projections.
     *
     * @param a {@code [N][D]}: row i is the projection of the first view of record i
     * @param b {@code [N][D]}: row i is the projection of the second view of record i
     * @throws IllegalArgumentException when an argument is null, not rectangular, has D = 0 or a non-finite entry,
     *                                  when the shapes differ, or when N &lt; 2 (no negatives), naming the argument
     */
    public Value compute(double[][] a, double[][] b) {
        int n = requireMatrix("a", a, -1);
        int d = a[0].length;
        if (b == null) {
            throw new IllegalArgumentException("nt-xent needs b, but it was null");
        }
        if (b.length != n) {
            throw new IllegalArgumentException("b has " + b.length + " rows but a has " + n
                    + "; both need one row per record");
        }
        requireMatrix("b", b, d);
        if (n < 2) {
            throw new IllegalArgumentException("nt-xent needs at least 2 records (N ≥ 2) so that each view has "
                    + "negatives in the batch, got N = " + n);
        }
        int m = 2 * n;
        double[][] z = new double[m][];
        double[] norms = new double[m];
        for (int i = 0; i < n; i++) {
            norms[i] = Numerics.norm(a[i]);
            norms[n + i] = Numerics.norm(b[i]);
            z[i] = scaled(a[i], 1.0 / Math.max(norms[i], NORM_EPS));
            z[n + i] = scaled(b[i], 1.0 / Math.max(norms[n + i], NORM_EPS));
        }
        double[][] s = new double[m][m];
        for (int k = 0; k < m; k++) {
            for (int j = k; j < m; j++) {
                double v = Numerics.dot(z[k], z[j]) / temperature;
                s[k][j] = v;
                s[j][k] = v;
            }
        }
        // p[k][j]: softmax of s_k over j ≠ k (p[k][k] = 0).
        double[][] p = new double[m][m];
        double total = 0;
        for (int k = 0; k < m; k++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                if (j != k) {
                    max = Math.max(max, s[k][j]);
                }
            }
            double sum = 0;
            for (int j = 0; j < m; j++) {
                if (j != k) {
                    p[k][j] = Math.exp(s[k][j] - max);
                    sum += p[k][j];
                }
            }
            for (int j = 0; j < m; j++) {
                p[k][j] /= sum;
            }
            total += max + Math.log(sum) - s[k][positive(k, n)];
        }
        double value = total / m;
        double[][] dA = new double[n][];
        double[][] dB = new double[n][];
        double f = 1.0 / (m * temperature);
        for (int k = 0; k < m; k++) {
            double[] g = new double[d];
            for (int j = 0; j < m; j++) {
                if (j == k) {
                    continue;
                }
                double c = f * (p[k][j] + p[j][k] - (j == positive(k, n) ? 2 : 0));
                for (int t = 0; t < d; t++) {
                    g[t] += c * z[j][t];
                }
            }
            double[] dx = throughNormalisation(g, z[k], norms[k]);
            if (k < n) {
                dA[k] = dx;
            } else {
                dB[k - n] = dx;
            }
        }
        return new Value(value, dA, dB);
    }

    private static int positive(int k, int n) {
        return k < n ? k + n : k - n;
    }

    /**
     * ∂L/∂x from g = ∂L/∂ẑ for ẑ = x/max(‖x‖, ε): (g − ẑ(ẑ·g))/‖x‖ above ε, g/ε below it (the divisor is then a
     * constant), as autograd gives for F.normalize.
     */
    private static double[] throughNormalisation(double[] g, double[] hat, double norm) {
        double[] out = new double[g.length];
        if (norm <= NORM_EPS) {
            for (int t = 0; t < g.length; t++) {
                out[t] = g[t] / NORM_EPS;
            }
            return out;
        }
        double hg = Numerics.dot(hat, g);
        for (int t = 0; t < g.length; t++) {
            out[t] = (g[t] - hat[t] * hg) / norm;
        }
        return out;
    }

    private static double[] scaled(double[] x, double f) {
        double[] out = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            out[k] = x[k] * f;
        }
        return out;
    }

    /** Checks {@code x} is non-null, non-empty, rectangular with {@code cols ≥ 1} columns (any when −1) and finite. */
    private static int requireMatrix(String field, double[][] x, int cols) {
        if (x == null) {
            throw new IllegalArgumentException("nt-xent needs " + field + ", but it was null");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException(field + " has no rows; nt-xent needs at least 2 records (N ≥ 2)");
        }
        if (cols < 0 && x[0] == null) {
            throw new IllegalArgumentException(field + " row 0 is null");
        }
        int d = cols >= 0 ? cols : x[0].length;
        if (d == 0) {
            throw new IllegalArgumentException(field + " has D = 0 columns; projections need D ≥ 1");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != d) {
                throw new IllegalArgumentException(field + " row " + i + " has "
                        + (x[i] == null ? "no" : String.valueOf(x[i].length)) + " columns, expected " + d);
            }
            for (int k = 0; k < d; k++) {
                if (!Double.isFinite(x[i][k])) {
                    throw new IllegalArgumentException(field + "[" + i + "][" + k + "] is not finite: " + x[i][k]);
                }
            }
        }
        return x.length;
    }

    public double temperature() {
        return temperature;
    }

    public String name() {
        return NAME;
    }

    /** The settings, for provenance: temperature, normalisation and reduction. */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("temperature", temperature);
        c.put("normalisation", "l2, eps 1e-12");
        c.put("reduction", "mean over 2N anchors");
        return Collections.unmodifiableMap(c);
    }

    @Override
    public String toString() {
        return NAME + config();
    }
}
