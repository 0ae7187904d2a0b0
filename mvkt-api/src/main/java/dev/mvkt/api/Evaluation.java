package dev.mvkt.api;

/**
 * Scores of a model on one split: macro ROC-AUC, and accuracy and F1 at per-class decision thresholds.
 *
 * <p>Thresholds are chosen on the validation split and then applied unchanged to any other split.
 */
public interface Evaluation {

    /** The classes, in output order. */
    LabelSet labels();

    /** ROC-AUC of class {@code c}, or NaN when the split has only one label value for it. */
    double auc(int c);

    /** Accuracy of class {@code c} at its threshold. */
    double accuracy(int c);

    /** F1 of class {@code c} at its threshold. */
    double f1(int c);

    /** Decision threshold of class {@code c} on the sigmoid output. */
    double threshold(int c);

    /** Number of records evaluated. */
    int size();

    /** Mean AUC over the classes whose AUC is defined. */
    default double macroAuc() {
        return meanDefined(this::auc);
    }

    /** Mean per-class accuracy. */
    default double accuracy() {
        return meanDefined(this::accuracy);
    }

    /** Mean per-class F1. */
    default double macroF1() {
        return meanDefined(this::f1);
    }

    private double meanDefined(java.util.function.IntToDoubleFunction f) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < labels().size(); c++) {
            double v = f.applyAsDouble(c);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
