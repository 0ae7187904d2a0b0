package dev.mvkt.core;

import dev.mvkt.api.Evaluation;
import dev.mvkt.api.LabelSet;

/**
 * Evaluations of probabilities computed elsewhere (a Spark job's scored rows, a deployed model's log), with the same
 * metrics as {@link MvktModel#evaluate}: per-class AUC, F1 and accuracy at the given thresholds.
 */
public final class Evaluations {
    private Evaluations() {
    }

    /**
     * @param classes       the class names
     * @param probabilities {@code [records][classes]} in {@code classes} order
     * @param labels        multi-hot {@code [records][classes]}, 0 or 1
     * @param thresholds    the decision threshold per class
     * @throws IllegalArgumentException naming the record or class whose shape does not fit
     */
    public static Evaluation of(LabelSet classes, double[][] probabilities, double[][] labels, double[] thresholds) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException(probabilities.length + " rows of probabilities but " + labels.length
                    + " rows of labels");
        }
        if (thresholds.length != classes.size()) {
            throw new IllegalArgumentException(thresholds.length + " thresholds for " + classes.size() + " classes");
        }
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i].length != classes.size() || labels[i].length != classes.size()) {
                throw new IllegalArgumentException("record " + i + ": " + probabilities[i].length
                        + " probabilities and " + labels[i].length + " labels for " + classes.size() + " classes");
            }
        }
        return new MultiLabelEvaluation(classes, probabilities, labels, thresholds);
    }
}
