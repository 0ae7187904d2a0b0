package dev.mvkt.samples.cli;

import smile.stat.distribution.TDistribution;

import java.util.Arrays;

/**
 * Statistics across seeds: one value per seed (a metric, or the paired difference of two methods trained with that
 * seed). The interval is Student's t on the per-seed values, so it covers the run-to-run variation of training
 * (and of the synthetic data, which the seed also draws), not only the test records' sampling.
 */
public final class SeedStats {
    private SeedStats() {
    }

    /** A mean with its two-sided 95% t-interval; the bounds are NaN for fewer than two seeds. */
    public record Summary(int n, double mean, double sd, double lo, double hi) {
        /** Whether the whole interval lies above zero. */
        public boolean aboveZero() {
            return lo > 0;
        }
    }

    public static Summary summarise(double... perSeed) {
        double[] v = Arrays.stream(perSeed).filter(x -> !Double.isNaN(x)).toArray();
        int n = v.length;
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(v).average().orElseThrow();
        if (n < 2) {
            return new Summary(1, mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double half = tQuantile975(n - 1) * sd / Math.sqrt(n);
        return new Summary(n, mean, sd, mean - half, mean + half);
    }

    /** The 97.5th percentile of Student's t with {@code df} degrees of freedom (4.303 for df = 2). */
    public static double tQuantile975(int df) {
        return new TDistribution(df).quantile(0.975);
    }
}
