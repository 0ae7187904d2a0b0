package dev.mvkt.core;

/**
 * Whether a trained model's probabilities are calibrated, so that among the records given probability p for a
 * class about a fraction p has it.
 *
 * <p>{@link #TEMPERATURE} (the default) is temperature scaling (Guo et al. 2017) with one temperature per class:
 * after training, with the best epoch's parameters restored, each class's temperature {@code T > 0} is fitted on the
 * validation split by minimising the binary cross-entropy (the negative log-likelihood) of
 * {@code sigmoid(logit / T)}, and every probability the model gives afterwards ({@code diagnose},
 * {@code probabilities}, {@code evaluate}, the ONNX export) is {@code sigmoid(logit / T)}. The class thresholds are
 * then chosen on these calibrated validation probabilities, so they apply to what {@code diagnose} returns.
 *
 * <p>Why temperature rather than Platt scaling ({@code sigmoid(a·logit + b)}): one parameter per class is what a
 * validation split with a handful of positives of a rare class can support, while Platt's bias overfits there; a
 * temperature keeps the sign of every logit, so a probability of 0.5 stays where the network put it and the
 * fixed-0.5 thresholds decide exactly as before; and it is strictly increasing, so each class's ranking of records
 * and therefore its AUC are unchanged. Platt's slope alone is the same family as a temperature; its bias is what is
 * left out, and with it the one thing a temperature cannot do: move a class's probabilities towards its prevalence.
 * A network trained to convergence with BCE has learnt that offset, and its error is mostly over-confidence, which a
 * temperature removes; an under-trained one whose probabilities still sit near 0.5 for a rare class stays biased
 * upwards (a synthetic 8-epoch teacher: test ECE 21% before, 15% after, the remaining points below the diagonal).
 *
 * <p>The fit: the cross-entropy is convex in {@code β = 1/T}, so it is minimised by Newton's method on β, safeguarded
 * by bisection on the sign of the derivative, within {@code T ∈ [}{@value #MIN_TEMPERATURE}{@code ,
 * }{@value #MAX_TEMPERATURE}{@code ]}; the bound keeps a class that validation happens to separate perfectly (whose
 * likelihood keeps growing as T shrinks) from being sharpened without limit. A class without both a positive and a
 * negative validation record keeps T = 1 (its fit has no minimum), and a fitted T is kept only when it lowers the
 * class's validation cross-entropy, so calibration never increases it. Models saved before calibration existed
 * load with T = 1 for every class (uncalibrated).
 */
public enum Calibration {
    /** Per-class temperature scaling fitted on validation (default). */
    TEMPERATURE,
    /** Probabilities are the network's sigmoid outputs as trained (every T = 1). */
    NONE;

    /** Smallest temperature fitted or loaded (sharpens the logits at most tenfold). */
    public static final double MIN_TEMPERATURE = 0.1;
    /** Largest temperature fitted or loaded (flattens the logits at most tenfold). */
    public static final double MAX_TEMPERATURE = 10.0;

    /**
     * The per-class temperatures for validation logits {@code z [records][classes]} and multi-hot labels
     * {@code y}: fitted for {@link #TEMPERATURE}, all 1 for {@link #NONE}.
     */
    double[] fit(double[][] z, double[][] y, int classes) {
        double[] t = identity(classes);
        for (int c = 0; c < classes && this == TEMPERATURE; c++) {
            double[] zc = new double[z.length];
            boolean[] yc = new boolean[z.length];
            for (int i = 0; i < z.length; i++) {
                zc[i] = z[i][c];
                yc[i] = y[i][c] > 0.5;
            }
            t[c] = TemperatureScaling.fit(zc, yc);
        }
        return t;
    }

    /** The temperatures of an uncalibrated model: 1 for each class. */
    static double[] identity(int classes) {
        double[] t = new double[classes];
        java.util.Arrays.fill(t, 1);
        return t;
    }

    /** {@code sigmoid(z / T)} per class of logits {@code z [records][classes]}. */
    static double[][] probabilities(double[][] z, double[] temperatures) {
        double[][] p = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            p[i] = new double[z[i].length];
            for (int c = 0; c < p[i].length; c++) {
                p[i][c] = TemperatureScaling.sigmoid(z[i][c] / temperatures[c]);
            }
        }
        return p;
    }

    /** Mean cross-entropy over all (class, record) pairs of {@code sigmoid(z / T)} against {@code y}. */
    static double nll(double[][] z, double[][] y, double[] temperatures) {
        double s = 0;
        for (int c = 0; c < temperatures.length; c++) {
            double[] zc = new double[z.length];
            boolean[] yc = new boolean[z.length];
            for (int i = 0; i < z.length; i++) {
                zc[i] = z[i][c];
                yc[i] = y[i][c] > 0.5;
            }
            s += TemperatureScaling.nll(zc, yc, temperatures[c]);
        }
        return s / temperatures.length;
    }

    /** Whether {@code t} may be a stored temperature: finite and within the fitted range. */
    static boolean valid(double t) {
        return t >= MIN_TEMPERATURE && t <= MAX_TEMPERATURE;
    }
}
