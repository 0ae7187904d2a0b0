package dev.mvkt.samples.cli;

import smile.manifold.TSNE;

import java.util.Arrays;
import java.util.List;

/** t-SNE through Smile (Apache-2.0, exact O(n²) t-SNE), seeded, and the class groups that colour the points. */
final class TsneEmbedding {
    static final String SEVERAL = "several";
    static final String NONE = "none";

    static {
        // Smile's worker threads sum gradient parts in whatever order they finish, so the same seed gave different
        // layouts; one thread makes the figure reproducible (exact t-SNE of a few hundred points takes seconds).
        if (System.getProperty("smile.threads") == null) {
            System.setProperty("smile.threads", "1");
        }
    }

    private TsneEmbedding() {
    }

    /** 2-D embedding of the rows of {@code x}. */
    static double[][] embed(double[][] x, double perplexity, int iterations, long seed) {
        // Smile draws its initial layout from its global generator; seeding it makes the figure reproducible.
        smile.math.Math.setSeed(seed);
        return new TSNE(x, 2, perplexity, 200, iterations).getCoordinates();
    }

    /** Per record: its class name if it has exactly one, {@link #SEVERAL} or {@link #NONE} otherwise. */
    static String[] groups(float[][] labels, List<String> classes, int n) {
        String[] g = new String[n];
        for (int i = 0; i < n; i++) {
            int count = 0;
            int which = -1;
            for (int c = 0; c < classes.size(); c++) {
                if (labels[i][c] > 0.5f) {
                    count++;
                    which = c;
                }
            }
            g[i] = count == 0 ? NONE : count == 1 ? classes.get(which) : SEVERAL;
        }
        return g;
    }

    /**
     * The share of each point's {@code k} nearest neighbours (in the embedding) that have its group: a number for
     * what the eye judges in the figure, how well classes cluster.
     */
    static double neighbourAgreement(double[][] y, String[] groups, int k) {
        int n = y.length;
        int kk = Math.min(k, n - 1);
        if (kk < 1) {
            return Double.NaN;
        }
        long same = 0;
        double[] d = new double[n];
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dx = y[i][0] - y[j][0];
                double dy = y[i][1] - y[j][1];
                d[j] = j == i ? Double.POSITIVE_INFINITY : dx * dx + dy * dy;
                idx[j] = j;
            }
            Arrays.sort(idx, (a, b) -> Double.compare(d[a], d[b]));
            for (int r = 0; r < kk; r++) {
                same += groups[idx[r]].equals(groups[i]) ? 1 : 0;
            }
        }
        return (double) same / ((long) n * kk);
    }
}
