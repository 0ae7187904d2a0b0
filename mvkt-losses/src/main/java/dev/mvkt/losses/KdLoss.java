package dev.mvkt.losses;

import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;

import java.util.Map;

/**
 * Knowledge distillation as Hinton et al. (2015), made multi-label: each class is a Bernoulli variable, softened by a
 * temperature on the logit, and the student's is pulled towards the frozen teacher's. Only the student logits get a
 * gradient.
 *
 * <p>With q = σ(z/T), batch size B and temperature T:
 * <pre>
 *   KD   = T²/B · Σ_{i,c} [ q^T·log(q^T/q^S) + (1 − q^T)·log((1 − q^T)/(1 − q^S)) ]
 *   ∂/∂z = T/B · (q^S − q^T)
 * </pre>
 * evaluated with log-sigmoids, so saturated logits stay finite. As T → ∞, KD → 1/(8B)·Σ_{i,c} (z^S − z^T)², Hinton's
 * logit matching.
 *
 * <p>How it differs from {@link MkdLoss}: MKD's paper form softens the <em>probability</em>, a = (2p − 1)/T, so its
 * targets stay within [σ(−1/T), σ(1/T)] (0.34 to 0.66 at T = 1.5) and all confident logits look alike; KD softens the
 * <em>logit</em>, so the teacher's confidence keeps its order at any T. MKD's code form divides [p, 1 − p] by T without
 * a softmax, which only scales it: MKD_code(T) = KD(1)/(2T) up to its ε = 1e-8. So KD at T = 1 is twice MKD's code
 * form at T = 1, and at any other temperature it is a different objective.
 */
final class KdLoss implements LossTerm {
    static final String NAME = "kd";
    /** The temperature of the CRD/RepDistiller benchmark's KD baseline. */
    static final double DEFAULT_TEMPERATURE = 4.0;

    private final double temperature;

    KdLoss(double temperature) {
        Numerics.requireFinitePositive("KD temperature", temperature);
        this.temperature = temperature;
    }

    @Override
    public LossValue compute(LossInputs in) {
        int b = in.batchSize();
        int c = in.classes();
        Numerics.requireLogitPair("kd", in);
        double[][] zs = in.studentLogits();
        double[][] zt = in.teacherLogits();
        double t = temperature;
        double sum = 0;
        double[][] grad = new double[b][c];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < c; k++) {
                double as = zs[i][k] / t;
                double at = zt[i][k] / t;
                double qt = Numerics.sigmoid(at);
                sum += qt * (Numerics.logSigmoid(at) - Numerics.logSigmoid(as))
                        + Numerics.sigmoid(-at) * (Numerics.logSigmoid(-at) - Numerics.logSigmoid(-as));
                grad[i][k] = t / b * (Numerics.sigmoid(as) - qt);
            }
        }
        // Each KL is ≥ 0; the clamp only removes rounding noise when the two distributions agree.
        return LossValue.ofLogits(NAME, Math.max(0.0, t * t * sum / b), grad);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("temperature", temperature);
    }

    @Override
    public boolean needsTeacher() {
        return true;
    }

    double temperature() {
        return temperature;
    }

    @Override
    public String toString() {
        return NAME + config();
    }
}
