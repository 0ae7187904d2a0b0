package dev.mvkt.losses;

import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Probabilistic knowledge transfer (Passalis and Tefas, ECCV 2018): within a batch, each record's cosine-similarity
 * neighbourhood is turned into a probability distribution over the batch, and the student's distributions are pulled
 * towards the teacher's. It matches how records relate, not where they lie, so it is invariant to rotating or
 * rescaling either side's embeddings. The teacher's embeddings are constants; the student's head output moves.
 *
 * <p>With raw head outputs s_i, t_i, ŝ = s/‖s‖ and batch size B:
 * <pre>
 *   K^S_ij = (ŝ_i·ŝ_j + 1)/2 + ε,   q_ij = K^S_ij / Σ_l K^S_il       (p_ij likewise from t̂)
 *   PKT    = 1/B · Σ_i Σ_j p_ij·log(p_ij / q_ij)                     (the mean over records of KL(p_i ‖ q_i))
 *   ∂/∂K^S_ij = −(p_ij − q_ij) / (B·K^S_ij),   ∂/∂ŝ = ½(A + Aᵀ)Ŝ with A = ∂/∂K^S, then through ŝ = s/‖s‖
 * </pre>
 * The authors' code adds ε = 1e-7 inside the logarithm and averages over all B² entries (1/B of this value); here ε
 * is added to the kernel instead, so that p and q are true distributions, the KL is exact and non-negative, and an
 * exactly opposite pair (cosine −1) stays finite. A row shorter than 1e-12 has no direction: its unit vector is 0
 * and it gets no gradient.
 */
final class PktLoss implements LossTerm {
    static final String NAME = "pkt";
    static final double KERNEL_EPS = 1e-7;

    private final int dim;

    PktLoss(int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("PKT embedding dimension must be positive, was " + dim);
        }
        this.dim = dim;
    }

    @Override
    public LossValue compute(LossInputs in) {
        int b = in.batchSize();
        if (b == 0) {
            throw new IllegalArgumentException("pkt needs at least one row in the batch");
        }
        Numerics.requireEmbedding(NAME, "studentEmbedding", in.studentEmbedding(), b, dim);
        Numerics.requireEmbedding(NAME, "teacherEmbedding", in.teacherEmbedding(), b, dim);
        double[] sNorm = new double[b];
        double[][] sHat = new double[b][];
        double[][] tHat = new double[b][];
        for (int i = 0; i < b; i++) {
            sNorm[i] = Numerics.norm(in.studentEmbedding()[i]);
            sHat[i] = Numerics.unit(in.studentEmbedding()[i], sNorm[i]);
            tHat[i] = Numerics.unit(in.teacherEmbedding()[i], Numerics.norm(in.teacherEmbedding()[i]));
        }
        double[][] ks = kernel(sHat);
        double[][] q = rowNormalised(ks);
        double[][] p = rowNormalised(kernel(tHat));
        double sum = 0;
        double[][] a = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                sum += p[i][j] * (Math.log(p[i][j]) - Math.log(q[i][j]));
                // Written as (p − q)/K so that it is exactly 0 where the distributions agree.
                a[i][j] = -(p[i][j] - q[i][j]) / (b * ks[i][j]);
            }
        }
        double[][] grad = new double[b][dim];
        double[] dHat = new double[dim];
        for (int i = 0; i < b; i++) {
            java.util.Arrays.fill(dHat, 0);
            for (int j = 0; j < b; j++) {
                double w = 0.5 * (a[i][j] + a[j][i]);
                if (w != 0) {
                    for (int k = 0; k < dim; k++) {
                        dHat[k] += w * sHat[j][k];
                    }
                }
            }
            Numerics.addThroughUnit(dHat, sHat[i], sNorm[i], 1.0, grad[i]);
        }
        // Each KL is ≥ 0; the clamp only removes rounding noise when the distributions agree.
        double value = Math.max(0.0, sum / b);
        return new LossValue(value, null, grad, null, Map.of(NAME, value));
    }

    private static double[][] kernel(double[][] hat) {
        int b = hat.length;
        double[][] k = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = i; j < b; j++) {
                k[i][j] = (Numerics.dot(hat[i], hat[j]) + 1) / 2 + KERNEL_EPS;
                k[j][i] = k[i][j];
            }
        }
        return k;
    }

    private static double[][] rowNormalised(double[][] k) {
        double[][] p = new double[k.length][k.length];
        for (int i = 0; i < k.length; i++) {
            double r = 0;
            for (double x : k[i]) {
                r += x;
            }
            for (int j = 0; j < k.length; j++) {
                p[i][j] = k[i][j] / r;
            }
        }
        return p;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kernel", "cosine");
        c.put("kernelEps", KERNEL_EPS);
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

    @Override
    public String toString() {
        return NAME + config();
    }
}
