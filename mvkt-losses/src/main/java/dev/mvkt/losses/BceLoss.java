package dev.mvkt.losses;

import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;

import java.util.Map;

/**
 * Binary cross-entropy on logits, the supervised term of both stages.
 *
 * <p>With logits z, targets y ∈ [0, 1], batch size B and C classes:
 * <pre>
 *   BCE    = 1/(B·C) · Σ_{i,c} [ max(z,0) − z·y + log(1 + exp(−|z|)) ]
 *   ∂/∂z   = (σ(z) − y) / (B·C)
 * </pre>
 * The first line equals −[y·log σ(z) + (1−y)·log(1−σ(z))] but is evaluated without ever taking the log of a
 * saturated sigmoid, so logits of ±100 give finite values.
 *
 * <p>Only labelled rows count ({@link LossInputs#isLabelled}): B is then the number of labelled rows, so a labelled
 * record weighs as it would in a fully labelled batch, and unlabelled rows get no gradient. A batch without a
 * labelled row gives 0 and a zero gradient.
 */
final class BceLoss implements LossTerm {
    static final String NAME = "bce";

    @Override
    public LossValue compute(LossInputs in) {
        double[][] z = in.studentLogits();
        double[][] y = in.labels();
        int b = in.batchSize();
        int c = in.classes();
        Numerics.requireShape("studentLogits", z, b, c);
        Numerics.requireShape("labels", y, b, c);
        if (b == 0 || c == 0) {
            throw new IllegalArgumentException("bce needs at least one row and one class, got " + b + "×" + c);
        }
        double[][] grad = new double[b][c];
        int labelled = in.labelledRows();
        if (labelled == 0) {
            return LossValue.ofLogits(NAME, 0, grad);
        }
        double n = (double) labelled * c;
        double sum = 0;
        for (int i = 0; i < b; i++) {
            if (!in.isLabelled(i)) {
                continue;
            }
            for (int k = 0; k < c; k++) {
                double zz = z[i][k];
                double yy = y[i][k];
                sum += Math.max(zz, 0) - zz * yy + Math.log1p(Math.exp(-Math.abs(zz)));
                grad[i][k] = (Numerics.sigmoid(zz) - yy) / n;
            }
        }
        return LossValue.ofLogits(NAME, sum / n, grad);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("reduction", "mean");
    }

    @Override
    public String toString() {
        return NAME;
    }
}
