package dev.mvkt.samples.cli;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * ROC-AUC, ROC curves and bootstrap confidence intervals on a model's test-set probabilities.
 * <p>The AUC here is computed from the probabilities independently of mvkt-core's {@code Evaluation}, so that each
 * bootstrap resample (records drawn with replacement) can be scored; on the full set the two agree.
 */
final class Stats {
    private Stats() {
    }

    /** A percentile interval. */
    record Interval(double lo, double hi) {
    }

    /** ROC-AUC of one class (Mann-Whitney, ties count half), or NaN when only one label value is present. */
    static double auc(double[][] prob, float[][] labels, int c, int[] rows) {
        int n = rows.length;
        double[] score = new double[n];
        boolean[] pos = new boolean[n];
        int positives = 0;
        for (int i = 0; i < n; i++) {
            score[i] = prob[rows[i]][c];
            pos[i] = labels[rows[i]][c] > 0.5f;
            positives += pos[i] ? 1 : 0;
        }
        int negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (pos[order[k]]) {
                    rankSumPos += midRank;
                }
            }
            i = j + 1;
        }
        return (rankSumPos - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Mean AUC over the classes whose AUC is defined on {@code rows}; NaN if none is. */
    static double macroAuc(double[][] prob, float[][] labels, int[] rows) {
        double sum = 0;
        int defined = 0;
        for (int c = 0; c < labels[0].length; c++) {
            double a = auc(prob, labels, c, rows);
            if (!Double.isNaN(a)) {
                sum += a;
                defined++;
            }
        }
        return defined == 0 ? Double.NaN : sum / defined;
    }

    static int[] all(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /**
     * Percentile 95% interval of macro AUC over {@code resamples} bootstrap resamples of the records, seeded.
     * Resamples in which no class has both label values are skipped; too few records give NaN bounds.
     */
    static Interval bootstrapMacroAuc(double[][] prob, float[][] labels, int resamples, long seed) {
        return bootstrap(resamples, seed, labels.length, rows -> macroAuc(prob, labels, rows));
    }

    /**
     * Paired interval of {@code macroAuc(a) - macroAuc(b)}: both models are scored on the same resampled records,
     * so the record-to-record variation they share cancels.
     */
    static Interval bootstrapDifference(double[][] a, double[][] b, float[][] labels, int resamples, long seed) {
        return bootstrap(resamples, seed, labels.length,
                rows -> macroAuc(a, labels, rows) - macroAuc(b, labels, rows));
    }

    /**
     * The pooled paired bootstrap of the mean difference across seeds: each resample draws the test records of
     * every seed's run anew (with replacement) and averages that run's {@code macroAuc(a) − macroAuc(b)} over the
     * seeds; percentile 95% interval. It covers the test records' sampling of the mean difference, the t-interval
     * across seeds ({@link SeedStats}) its training variation.
     */
    static Interval pooledBootstrapDifference(java.util.List<double[][]> a, java.util.List<double[][]> b,
                                              java.util.List<float[][]> labels, int resamples, long seed) {
        int k = labels.size();
        if (resamples < 1 || k == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[resamples];
        int kept = 0;
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            boolean ok = true;
            for (int s = 0; s < k && ok; s++) {
                int n = labels.get(s).length;
                int[] rows = new int[n];
                for (int i = 0; i < n; i++) {
                    rows[i] = random.nextInt(n);
                }
                double d = macroAuc(a.get(s), labels.get(s), rows) - macroAuc(b.get(s), labels.get(s), rows);
                ok = !Double.isNaN(d);
                sum += d;
            }
            if (ok) {
                values[kept++] = sum / k;
            }
        }
        if (kept < 20) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double[] v = Arrays.copyOf(values, kept);
        Arrays.sort(v);
        return new Interval(percentile(v, 0.025), percentile(v, 0.975));
    }

    private static Interval bootstrap(int resamples, long seed, int n,
                                      java.util.function.ToDoubleFunction<int[]> stat) {
        if (resamples < 1 || n < 2) {
            return new Interval(Double.NaN, Double.NaN);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[resamples];
        int kept = 0;
        int[] rows = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                rows[i] = random.nextInt(n);
            }
            double v = stat.applyAsDouble(rows);
            if (!Double.isNaN(v)) {
                values[kept++] = v;
            }
        }
        // Fewer than 20 usable resamples cannot place a 2.5th percentile apart from the minimum.
        if (kept < 20) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double[] v = Arrays.copyOf(values, kept);
        Arrays.sort(v);
        return new Interval(percentile(v, 0.025), percentile(v, 0.975));
    }

    private static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** ROC curve of class {@code c}: {@code [0]} false-positive rates, {@code [1]} true-positive rates. */
    static double[][] roc(double[][] prob, float[][] labels, int c) {
        int n = prob.length;
        Integer[] order = new Integer[n];
        int positives = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            positives += labels[i][c] > 0.5f ? 1 : 0;
        }
        int negatives = n - positives;
        Arrays.sort(order, (a, b) -> Double.compare(prob[b][c], prob[a][c]));
        double[] fpr = new double[n + 1];
        double[] tpr = new double[n + 1];
        int points = 1;
        int tp = 0;
        int fp = 0;
        for (int k = 0; k < n; k++) {
            if (labels[order[k]][c] > 0.5f) {
                tp++;
            } else {
                fp++;
            }
            // One point per distinct threshold: tied scores move the curve diagonally, as they should.
            if (k + 1 == n || prob[order[k + 1]][c] != prob[order[k]][c]) {
                fpr[points] = negatives == 0 ? 0 : (double) fp / negatives;
                tpr[points] = positives == 0 ? 0 : (double) tp / positives;
                points++;
            }
        }
        return new double[][]{Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points)};
    }
}
