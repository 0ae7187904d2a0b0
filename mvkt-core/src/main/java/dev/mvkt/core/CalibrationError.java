package dev.mvkt.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The expected calibration error (ECE) of multi-label probabilities, and the reliability diagram it summarises.
 *
 * <p>Every (probability, label) pair, of one class or of all classes together, falls into one of
 * {@value #BINS} equal-width bins of the probability: bin {@code b} holds {@code b/15 ≤ p < (b+1)/15}, the last bin
 * also {@code p = 1}. With {@code n_b} pairs in bin {@code b}, {@code p̄_b} their mean probability and {@code ȳ_b}
 * the fraction of them whose label is positive,
 * <pre>
 *   ECE = Σ_b (n_b / N) · |ȳ_b − p̄_b|
 * </pre>
 * over the non-empty bins, {@code N} the number of pairs. It is 0 when every bin's probabilities match how often
 * the class is present, and at most 1. Each class is a binary problem here: a probability is compared with the
 * presence of its own class (not the top-label confidence of multi-class ECE). NaN when there are no pairs.
 */
public final class CalibrationError {
    /** Number of equal-width probability bins. */
    public static final int BINS = 15;

    private CalibrationError() {
    }

    /**
     * One bin of a reliability diagram.
     *
     * @param lower           the bin's lower edge
     * @param upper           its upper edge
     * @param count           pairs in the bin
     * @param meanProbability their mean probability (NaN when empty)
     * @param positiveRate    the fraction of them with a positive label (NaN when empty)
     */
    public record Bin(double lower, double upper, long count, double meanProbability, double positiveRate) {
    }

    /** ECE over all classes' pairs of {@code probs [records][classes]} and multi-hot {@code labels}. */
    public static double ece(double[][] probs, float[][] labels) {
        return ece(bins(probs, labels, -1));
    }

    /** ECE of class {@code c} alone. */
    public static double ece(double[][] probs, float[][] labels, int c) {
        return ece(bins(probs, labels, c));
    }

    /** ECE of a reliability diagram's bins. */
    public static double ece(List<Bin> bins) {
        long n = 0;
        double s = 0;
        for (Bin b : bins) {
            if (b.count() > 0) {
                n += b.count();
                s += b.count() * Math.abs(b.positiveRate() - b.meanProbability());
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /**
     * The {@value #BINS} bins of class {@code c}, or of all classes' pairs together when {@code c} is -1.
     *
     * @throws IllegalArgumentException if the shapes differ, {@code c} is out of range, or a probability is not in
     *                                  [0, 1]
     */
    public static List<Bin> bins(double[][] probs, float[][] labels, int c) {
        if (probs.length != labels.length) {
            throw new IllegalArgumentException(probs.length + " rows of probabilities for " + labels.length
                    + " rows of labels");
        }
        long[] count = new long[BINS];
        double[] sumP = new double[BINS];
        double[] sumY = new double[BINS];
        for (int i = 0; i < probs.length; i++) {
            if (probs[i].length != labels[i].length) {
                throw new IllegalArgumentException("row " + i + ": " + probs[i].length + " probabilities for "
                        + labels[i].length + " labels");
            }
            if (c < -1 || c >= probs[i].length) {
                throw new IllegalArgumentException("class " + c + " is out of range (0.." + (probs[i].length - 1)
                        + ", or -1 for all)");
            }
            int from = c < 0 ? 0 : c;
            int to = c < 0 ? probs[i].length : c + 1;
            for (int k = from; k < to; k++) {
                double p = probs[i][k];
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("probability [" + i + "][" + k + "] is " + p
                            + "; expected a value in [0, 1]");
                }
                int b = Math.min(BINS - 1, (int) (p * BINS));
                count[b]++;
                sumP[b] += p;
                sumY[b] += labels[i][k] > 0.5f ? 1 : 0;
            }
        }
        List<Bin> out = new ArrayList<>(BINS);
        for (int b = 0; b < BINS; b++) {
            out.add(new Bin((double) b / BINS, (double) (b + 1) / BINS, count[b],
                    count[b] == 0 ? Double.NaN : sumP[b] / count[b], count[b] == 0 ? Double.NaN : sumY[b] / count[b]));
        }
        return out;
    }
}
