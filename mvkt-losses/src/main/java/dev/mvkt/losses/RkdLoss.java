package dev.mvkt.losses;

import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Relational knowledge distillation (Park et al., CVPR 2019): the student's embeddings must relate to each other as
 * the teacher's do, by pairwise distance and by angle, whatever their scale, position or orientation. The teacher's
 * embeddings are constants (the authors' code computes them without gradient); the student's projection head output
 * is what moves.
 *
 * <p>With raw head outputs s_i (student) and t_i (teacher) of a batch of B ≥ 2, h the smooth L1 loss (Huber with
 * δ = 1) and, for the teacher, the same quantities computed from t:
 * <pre>
 *   d_ij    = ‖s_i − s_j‖,   μ = 1/(B(B−1)) · Σ_{i≠j} d_ij,   ψ_D(i,j) = d_ij / μ
 *   L_D     = 1/B² · Σ_{i,j} h(ψ_D^S(i,j) − ψ_D^T(i,j))
 *   e_ab    = (s_b − s_a) / ‖s_b − s_a‖,   ψ_A(a,b,c) = e_ab · e_ac       (the angle at a)
 *   L_A     = 1/B³ · Σ_{a,b,c} h(ψ_A^S(a,b,c) − ψ_A^T(a,b,c))
 *   RKD     = λ_D·L_D + λ_A·L_A,   λ_D = 1, λ_A = 2 (the paper's)
 * </pre>
 * The means over B² and B³ entries, diagonal included, are the authors' code's (their diagonal terms are 0). A
 * difference shorter than 1e-12 has no direction: its e is 0 and it passes no gradient; μ = 0 (all rows equal) makes
 * ψ_D = 0. The gradient is the chain rule through ψ_D = d/μ (μ depends on every distance) and through each
 * normalised difference; it costs O(B³·D).
 */
final class RkdLoss implements LossTerm {
    static final String NAME = "rkd";
    static final double DEFAULT_DISTANCE_WEIGHT = 1.0;
    static final double DEFAULT_ANGLE_WEIGHT = 2.0;

    private final int dim;
    private final double distanceWeight;
    private final double angleWeight;

    RkdLoss(int dim, double distanceWeight, double angleWeight) {
        if (dim <= 0) {
            throw new IllegalArgumentException("RKD embedding dimension must be positive, was " + dim);
        }
        requireWeight("RKD distanceWeight", distanceWeight);
        requireWeight("RKD angleWeight", angleWeight);
        if (distanceWeight == 0 && angleWeight == 0) {
            throw new IllegalArgumentException("RKD distanceWeight and angleWeight are both 0; give one a positive "
                    + "weight");
        }
        this.dim = dim;
        this.distanceWeight = distanceWeight;
        this.angleWeight = angleWeight;
    }

    private static void requireWeight(String what, double w) {
        if (!Double.isFinite(w) || w < 0) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, was " + w);
        }
    }

    @Override
    public LossValue compute(LossInputs in) {
        int b = in.batchSize();
        if (b < 2) {
            throw new IllegalArgumentException("rkd compares pairs and needs at least 2 rows in the batch, got " + b);
        }
        Numerics.requireEmbedding(NAME, "studentEmbedding", in.studentEmbedding(), b, dim);
        Numerics.requireEmbedding(NAME, "teacherEmbedding", in.teacherEmbedding(), b, dim);
        double[][] s = in.studentEmbedding();
        double[][] t = in.teacherEmbedding();
        double[][] grad = new double[b][dim];
        double value = 0;
        if (distanceWeight > 0) {
            value += distanceWeight * distance(s, t, grad);
        }
        if (angleWeight > 0) {
            value += angleWeight * angle(s, t, grad);
        }
        return new LossValue(value, null, grad, null, Map.of(NAME, value));
    }

    /** L_D, adding λ_D·∂L_D/∂s to {@code grad}. */
    private double distance(double[][] s, double[][] t, double[][] grad) {
        int b = s.length;
        double[][] ds = distances(s);
        double[][] dt = distances(t);
        double muS = meanOffDiagonal(ds);
        double muT = meanOffDiagonal(dt);
        double bb = (double) b * b;
        double sum = 0;
        double[][] g = new double[b][b];
        double gPsi = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                double psiS = muS > 0 ? ds[i][j] / muS : 0;
                double psiT = muT > 0 ? dt[i][j] / muT : 0;
                double x = psiS - psiT;
                sum += Numerics.huber(x);
                g[i][j] = Numerics.huberGrad(x) / bb;
                gPsi += g[i][j] * psiS;
            }
        }
        if (muS > 0) {
            // ∂L/∂d_ij = (g_ij − Σ_kl g_kl ψ_kl / (B(B−1))) / μ for i ≠ j; ∂d_ij/∂s_i = (s_i − s_j)/d_ij.
            double shared = gPsi / ((double) b * (b - 1));
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    if (i == j || ds[i][j] <= Numerics.DIRECTION_EPS) {
                        continue;
                    }
                    double w = distanceWeight * (g[i][j] - shared) / muS / ds[i][j];
                    for (int k = 0; k < dim; k++) {
                        double u = w * (s[i][k] - s[j][k]);
                        grad[i][k] += u;
                        grad[j][k] -= u;
                    }
                }
            }
        }
        return sum / bb;
    }

    /** L_A, adding λ_A·∂L_A/∂s to {@code grad}. */
    private double angle(double[][] s, double[][] t, double[][] grad) {
        int b = s.length;
        double bbb = (double) b * b * b;
        double sum = 0;
        double[][] es = new double[b][];
        double[][] et = new double[b][];
        double[] norms = new double[b];
        double[][] g = new double[b][b];
        double[] de = new double[dim];
        for (int a = 0; a < b; a++) {
            for (int j = 0; j < b; j++) {
                double[] v = difference(s[j], s[a]);
                norms[j] = Numerics.norm(v);
                es[j] = Numerics.unit(v, norms[j]);
                double[] w = difference(t[j], t[a]);
                et[j] = Numerics.unit(w, Numerics.norm(w));
            }
            for (int j = 0; j < b; j++) {
                for (int c = 0; c < b; c++) {
                    double x = Numerics.dot(es[j], es[c]) - Numerics.dot(et[j], et[c]);
                    sum += Numerics.huber(x);
                    g[j][c] = Numerics.huberGrad(x) / bbb;
                }
            }
            // ∂L/∂e_aj = Σ_c (g_jc + g_cj)·e_ac, then through e_aj = v/‖v‖ with v = s_j − s_a.
            for (int j = 0; j < b; j++) {
                if (norms[j] <= Numerics.DIRECTION_EPS) {
                    continue;
                }
                java.util.Arrays.fill(de, 0);
                for (int c = 0; c < b; c++) {
                    double w = g[j][c] + g[c][j];
                    if (w != 0) {
                        for (int k = 0; k < dim; k++) {
                            de[k] += w * es[c][k];
                        }
                    }
                }
                double[] dv = new double[dim];
                Numerics.addThroughUnit(de, es[j], norms[j], angleWeight, dv);
                for (int k = 0; k < dim; k++) {
                    grad[j][k] += dv[k];
                    grad[a][k] -= dv[k];
                }
            }
        }
        return sum / bbb;
    }

    private static double[] difference(double[] x, double[] y) {
        double[] d = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            d[k] = x[k] - y[k];
        }
        return d;
    }

    private static double[][] distances(double[][] x) {
        int b = x.length;
        double[][] d = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                d[i][j] = Numerics.norm(difference(x[i], x[j]));
                d[j][i] = d[i][j];
            }
        }
        return d;
    }

    private static double meanOffDiagonal(double[][] d) {
        int b = d.length;
        double sum = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                if (i != j) {
                    sum += d[i][j];
                }
            }
        }
        return sum / ((double) b * (b - 1));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("distanceWeight", distanceWeight);
        c.put("angleWeight", angleWeight);
        c.put("embeddingDim", dim);
        return Collections.unmodifiableMap(c);
    }

    @Override
    public boolean needsTeacher() {
        return true;
    }

    @Override
    public int embeddingDim() {
        return dim;
    }

    double distanceWeight() {
        return distanceWeight;
    }

    double angleWeight() {
        return angleWeight;
    }

    @Override
    public String toString() {
        return NAME + config();
    }
}
