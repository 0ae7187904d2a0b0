package dev.mvkt.core;

import dev.mvkt.api.Evaluation;
import dev.mvkt.api.LabelSet;

import java.util.Locale;

/** Scores of sigmoid outputs against multi-hot labels, at given per-class thresholds. */
final class MultiLabelEvaluation implements Evaluation {
    private final LabelSet labels;
    private final double[] auc;
    private final double[] accuracy;
    private final double[] f1;
    private final double[] thresholds;
    private final int size;

    /**
     * @param probs      {@code [N][C]} sigmoid outputs
     * @param y          {@code [N][C]} multi-hot labels
     * @param thresholds per-class thresholds, or null to choose them here by F1 (use only on validation)
     */
    MultiLabelEvaluation(LabelSet labels, double[][] probs, double[][] y, double[] thresholds) {
        int c = labels.size();
        this.labels = labels;
        this.size = probs.length;
        this.auc = new double[c];
        this.accuracy = new double[c];
        this.f1 = new double[c];
        this.thresholds = new double[c];
        for (int k = 0; k < c; k++) {
            double[] s = new double[probs.length];
            boolean[] pos = new boolean[probs.length];
            for (int i = 0; i < probs.length; i++) {
                s[i] = probs[i][k];
                pos[i] = y[i][k] > 0.5;
            }
            auc[k] = Metrics.auc(s, pos);
            this.thresholds[k] = thresholds == null ? Metrics.bestF1Threshold(s, pos) : thresholds[k];
            long[] conf = Metrics.confusion(s, pos, this.thresholds[k]);
            accuracy[k] = Metrics.accuracy(conf);
            f1[k] = Metrics.f1(conf);
        }
    }

    @Override
    public LabelSet labels() {
        return labels;
    }

    @Override
    public double auc(int c) {
        return auc[c];
    }

    @Override
    public double accuracy(int c) {
        return accuracy[c];
    }

    @Override
    public double f1(int c) {
        return f1[c];
    }

    @Override
    public double threshold(int c) {
        return thresholds[c];
    }

    @Override
    public int size() {
        return size;
    }

    double[] thresholds() {
        return thresholds.clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "macro AUC %.4f, accuracy %.4f, F1 %.4f (n=%d)%n", macroAuc(), accuracy(), macroF1(), size));
        for (int k = 0; k < labels.size(); k++) {
            sb.append(String.format(Locale.ROOT, "  %-10s AUC %.4f  acc %.4f  F1 %.4f  thr %.3f%n",
                    labels.name(k), auc[k], accuracy[k], f1[k], thresholds[k]));
        }
        return sb.toString();
    }
}
