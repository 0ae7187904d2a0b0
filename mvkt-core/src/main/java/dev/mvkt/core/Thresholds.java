package dev.mvkt.core;

/** How a trained model's per-class decision thresholds (accuracy, F1, {@code diagnose}'s findings) are set. */
public enum Thresholds {
    /** Each class's threshold maximises its F1 on the validation split (default; never on test). */
    VALIDATION_F1,
    /** 0.5 for every class, as the MVKT-ECG paper's accuracy and F1 use. */
    FIXED_HALF;

    /** The thresholds to evaluate with for {@code classes} classes, or null to choose them on validation. */
    double[] fixed(int classes) {
        if (this == VALIDATION_F1) {
            return null;
        }
        double[] t = new double[classes];
        java.util.Arrays.fill(t, 0.5);
        return t;
    }
}
