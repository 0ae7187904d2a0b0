package dev.mvkt.losses;

import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feature regression in the manner of FitNets (Romero et al. 2015): the student's embedding of a record is pulled
 * onto the teacher's embedding of the same record. The student's projection head plays the FitNets regressor; the
 * teacher's embedding is the hint, a constant (no gradient), so the teacher head keeps its initial projection of the
 * frozen teacher's features: a term that moved both heads could make them agree on a constant.
 *
 * <p>With raw head outputs s, t ∈ R^D, ŝ = s/‖s‖, t̂ = t/‖t‖ and batch size B:
 * <pre>
 *   FITNET = 1/B · Σ_i ‖ŝ_i − t̂_i‖²          (= 2 − 2·cos(s_i, t_i) per row; D × PyTorch's mse_loss(ŝ, t̂))
 *   ∂/∂s_i = 2/B · (I − ŝ_i ŝ_iᵀ)(ŝ_i − t̂_i) / ‖s_i‖
 * </pre>
 * The value lies in [0, 4]. A row shorter than 1e-12 has no direction: its unit vector is 0 and it gets no gradient.
 */
final class FitnetLoss implements LossTerm {
    static final String NAME = "fitnet";

    private final int dim;

    FitnetLoss(int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("FitNets embedding dimension must be positive, was " + dim);
        }
        this.dim = dim;
    }

    @Override
    public LossValue compute(LossInputs in) {
        int b = in.batchSize();
        if (b == 0) {
            throw new IllegalArgumentException("fitnet needs at least one row in the batch");
        }
        Numerics.requireEmbedding(NAME, "studentEmbedding", in.studentEmbedding(), b, dim);
        Numerics.requireEmbedding(NAME, "teacherEmbedding", in.teacherEmbedding(), b, dim);
        double sum = 0;
        double[][] grad = new double[b][dim];
        double[] diff = new double[dim];
        for (int i = 0; i < b; i++) {
            double[] s = in.studentEmbedding()[i];
            double[] t = in.teacherEmbedding()[i];
            double sNorm = Numerics.norm(s);
            double[] sHat = Numerics.unit(s, sNorm);
            double[] tHat = Numerics.unit(t, Numerics.norm(t));
            for (int k = 0; k < dim; k++) {
                diff[k] = sHat[k] - tHat[k];
                sum += diff[k] * diff[k];
            }
            Numerics.addThroughUnit(diff, sHat, sNorm, 2.0 / b, grad[i]);
        }
        double value = sum / b;
        return new LossValue(value, null, grad, null, Map.of(NAME, value));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("embeddingDim", dim);
        c.put("normalised", true);
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
