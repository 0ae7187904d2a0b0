package dev.mvkt.core;

import java.util.Arrays;

/** Per-class binary metrics on plain arrays. */
final class Metrics {
    private Metrics() {
    }

    /**
     * ROC-AUC by the Mann–Whitney statistic with average ranks for ties; NaN when only one label value occurs
     * (the AUC is undefined, and the macro average skips it).
     */
    static double auc(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * The threshold that maximises F1 on these scores: the midpoint between adjacent distinct scores (or 0.5 when no
     * positive exists), so that it generalises to unseen scores rather than sitting on a training score.
     */
    static double bestF1Threshold(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a])); // descending
        long totalPos = 0;
        for (boolean p : positive) {
            totalPos += p ? 1 : 0;
        }
        if (totalPos == 0) {
            return 0.5;
        }
        double bestF1 = -1;
        double best = 0.5;
        long tp = 0;
        long fp = 0;
        for (int k = 0; k < n; k++) {
            if (positive[order[k]]) {
                tp++;
            } else {
                fp++;
            }
            boolean boundary = k == n - 1 || scores[order[k + 1]] != scores[order[k]];
            if (!boundary) {
                continue;
            }
            double f1 = 2.0 * tp / (2.0 * tp + fp + (totalPos - tp));
            if (f1 > bestF1) {
                bestF1 = f1;
                best = k == n - 1 ? scores[order[k]] : (scores[order[k]] + scores[order[k + 1]]) / 2;
            }
        }
        return best;
    }

    /** {tp, fp, fn, tn} at {@code score >= threshold}. */
    static long[] confusion(double[] scores, boolean[] positive, double threshold) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean pred = scores[i] >= threshold;
            if (pred && positive[i]) {
                tp++;
            } else if (pred) {
                fp++;
            } else if (positive[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        return new long[]{tp, fp, fn, tn};
    }

    static double f1(long[] c) {
        long denom = 2 * c[0] + c[1] + c[2];
        return denom == 0 ? 1.0 : 2.0 * c[0] / denom;
    }

    static double accuracy(long[] c) {
        long n = c[0] + c[1] + c[2] + c[3];
        return n == 0 ? Double.NaN : (double) (c[0] + c[3]) / n;
    }
}
