package dev.mvkt.losses;

import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Multi-label knowledge distillation: each class is a two-way distribution (present / absent) and the student's is
 * pulled towards the frozen teacher's. Only the student logits get a gradient; the teacher's are constants.
 *
 * <p>With p = σ(z), batch size B and temperature T:
 * <ul>
 *   <li>{@link MkdForm#PAPER}: a = (2p − 1)/T = tanh(z/2)/T, q = [σ(a), σ(−a)] (the softmax of [p/T, (1−p)/T]),
 *   <pre>
 *     MKD  = T²/B · Σ_{i,c} KL(q^T ‖ q^S)
 *     ∂/∂z = 2T/B · (σ(a^S) − σ(a^T)) · σ(z^S)·σ(−z^S)
 *   </pre>
 *   Since |a| ≤ 1/T, the log-sigmoids never saturate; the only extreme-logit risk is in σ(z), taken in stable
 *   form.</li>
 *   <li>{@link MkdForm#OFFICIAL_CODE}: v = [p/T + ε, (1−p)/T + ε], ε = 1e-8,
 *   <pre>
 *     MKD  = 1/(2B) · Σ_{i,c} Σ_k v^T_k · (log v^T_k − log v^S_k)
 *     ∂/∂z = σ(z^S)·σ(−z^S) / (2BT) · (v^T_1/v^S_1 − v^T_0/v^S_0)
 *   </pre>
 *   1 − p is taken as σ(−z) so a saturated logit keeps its tiny mass instead of rounding to 0.</li>
 * </ul>
 */
final class MkdLoss implements LossTerm {
    static final String NAME = "mkd";
    /** The constant that PyTorch code adds inside the log, kept so results match the public implementation. */
    static final double CODE_EPS = 1e-8;

    private final double temperature;
    private final MkdForm form;

    MkdLoss(double temperature, MkdForm form) {
        if (form == null) {
            throw new IllegalArgumentException("MKD form must not be null");
        }
        Numerics.requireFinitePositive("MKD temperature", temperature);
        this.temperature = temperature;
        this.form = form;
    }

    @Override
    public LossValue compute(LossInputs in) {
        int b = in.batchSize();
        int c = in.classes();
        Numerics.requireLogitPair("mkd", in);
        double[][] zs = in.studentLogits();
        double[][] zt = in.teacherLogits();
        double[][] grad = new double[b][c];
        double value = form == MkdForm.PAPER ? paper(zs, zt, grad) : officialCode(zs, zt, grad);
        return LossValue.ofLogits(NAME, value, grad);
    }

    private double paper(double[][] zs, double[][] zt, double[][] grad) {
        double t = temperature;
        int b = zs.length;
        double sum = 0;
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < zs[i].length; k++) {
                double as = Math.tanh(0.5 * zs[i][k]) / t;
                double at = Math.tanh(0.5 * zt[i][k]) / t;
                double qt0 = Numerics.sigmoid(at);
                double qt1 = Numerics.sigmoid(-at);
                sum += qt0 * (Numerics.logSigmoid(at) - Numerics.logSigmoid(as))
                        + qt1 * (Numerics.logSigmoid(-at) - Numerics.logSigmoid(-as));
                double dpdz = Numerics.sigmoid(zs[i][k]) * Numerics.sigmoid(-zs[i][k]);
                grad[i][k] = 2 * t / b * (Numerics.sigmoid(as) - qt0) * dpdz;
            }
        }
        // Each KL is ≥ 0; the clamp only removes rounding noise of order 1e-17 when the two distributions agree.
        return Math.max(0.0, t * t * sum / b);
    }

    private double officialCode(double[][] zs, double[][] zt, double[][] grad) {
        double t = temperature;
        int b = zs.length;
        double sum = 0;
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < zs[i].length; k++) {
                double ps = Numerics.sigmoid(zs[i][k]);
                double rs = Numerics.sigmoid(-zs[i][k]);
                double vs0 = ps / t + CODE_EPS;
                double vs1 = rs / t + CODE_EPS;
                double vt0 = Numerics.sigmoid(zt[i][k]) / t + CODE_EPS;
                double vt1 = Numerics.sigmoid(-zt[i][k]) / t + CODE_EPS;
                sum += vt0 * (Math.log(vt0) - Math.log(vs0)) + vt1 * (Math.log(vt1) - Math.log(vs1));
                grad[i][k] = ps * rs / (2.0 * b * t) * (vt1 / vs1 - vt0 / vs0);
            }
        }
        // Both vectors carry the same mass 1/T + 2ε, so each term is a non-negative generalised KL; see paper().
        return Math.max(0.0, sum / (2.0 * b));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("form", form.name());
        c.put("temperature", temperature);
        return Collections.unmodifiableMap(c);
    }

    @Override
    public boolean needsTeacher() {
        return true;
    }

    double temperature() {
        return temperature;
    }

    MkdForm form() {
        return form;
    }

    @Override
    public String toString() {
        return NAME + config();
    }
}
