package dev.mvkt.losses;

/**
 * Which of the two published MKD formulas to use; the paper and its code differ (see {@code docs/method.md}).
 */
public enum MkdForm {
    /**
     * The paper: per class, a softmax over [p/T, (1−p)/T], KL(teacher ‖ student) scaled by T², summed over classes
     * and averaged over the batch. Default T = 1.5.
     */
    PAPER(1.5),
    /**
     * The public code: v = [p, 1−p]/T without a softmax, PyTorch {@code KLDivLoss()} with mean reduction over
     * batch×2 on log(v_S + 1e-8) and v_T + 1e-8, summed over classes, no T². Default T = 1.
     */
    OFFICIAL_CODE(1.0);

    private final double defaultTemperature;

    MkdForm(double defaultTemperature) {
        this.defaultTemperature = defaultTemperature;
    }

    /** The temperature that the paper (1.5) or the public code (1) uses with this form. */
    public double defaultTemperature() {
        return defaultTemperature;
    }
}
