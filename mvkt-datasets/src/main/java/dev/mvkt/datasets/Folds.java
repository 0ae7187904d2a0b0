package dev.mvkt.datasets;

import dev.mvkt.api.SplitName;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded multi-label stratification (iterative stratification, Sechidis et al. 2011, as PTB-XL's
 * {@code strat_fold} and helme's benchmark use): the rarest label is placed first, each of its records into the
 * part that still wants that label most, so every part gets a fair share of every class. Used for the ten folds of
 * loaders without an official split ({@link #assign}) and for labelled fractions ({@link #subset}).
 */
final class Folds {
    static final int FOLDS = 10;

    private Folds() {
    }

    /** Fold 1..10 of each record, from its multi-hot labels; depends only on the labels, their order and the seed. */
    static int[] assign(float[][] labels, long seed) {
        double[] equal = new double[FOLDS];
        Arrays.fill(equal, 1);
        int[] part = stratify(labels, equal, seed);
        for (int i = 0; i < part.length; i++) {
            part[i]++;
        }
        return part;
    }

    /** Folds 1–8 train, 9 validation, 10 test. */
    static SplitName split(int fold) {
        return fold <= 8 ? SplitName.TRAIN : fold == 9 ? SplitName.VAL : SplitName.TEST;
    }

    /** Records {@code 0..n-1} in the seed's order: which record of a tie goes where depends on it alone. */
    private static int[] shuffled(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Sechidis' greedy: the part (0-based) of each record, parts sized in proportion to {@code weights}. Ties go to
     * the part that wants more records in all, then to the lower part. Sizes and per-class counts come out close to
     * their shares but, with multi-label records, not within a bound: a record placed for its rarest label also
     * counts for its other labels. {@code n / weight total} is computed exactly as the ten-fold code always did
     * ({@code count * 1 / 10}), so {@link #assign} gives the folds it always gave.
     */
    static int[] stratify(float[][] labels, double[] weights, long seed) {
        int n = labels.length;
        int parts = weights.length;
        int classes = n == 0 ? 0 : labels[0].length;
        int[] order = shuffled(n, seed);
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double[][] wantLabel = new double[parts][classes];
        double[] wantTotal = new double[parts];
        int[] remaining = new int[classes];
        for (float[] y : labels) {
            for (int c = 0; c < classes; c++) {
                if (y[c] != 0) {
                    remaining[c]++;
                }
            }
        }
        for (int f = 0; f < parts; f++) {
            wantTotal[f] = n * weights[f] / total;
            for (int c = 0; c < classes; c++) {
                wantLabel[f][c] = remaining[c] * weights[f] / total;
            }
        }
        int[] part = new int[n];
        boolean[] done = new boolean[n];
        int left = n;
        while (left > 0) {
            int label = -1;
            for (int c = 0; c < classes; c++) {
                if (remaining[c] > 0 && (label < 0 || remaining[c] < remaining[label])) {
                    label = c;
                }
            }
            List<Integer> batch = new ArrayList<>();
            for (int i : order) {
                if (!done[i] && (label < 0 || labels[i][label] != 0)) {
                    batch.add(i);
                }
            }
            for (int i : batch) {
                int best = -1;
                for (int f = 0; f < parts; f++) {
                    if (best < 0) {
                        best = f;
                        continue;
                    }
                    double a = label < 0 ? wantTotal[f] : wantLabel[f][label];
                    double b = label < 0 ? wantTotal[best] : wantLabel[best][label];
                    if (a > b || a == b && wantTotal[f] > wantTotal[best]) {
                        best = f;
                    }
                }
                part[i] = best;
                done[i] = true;
                left--;
                wantTotal[best]--;
                for (int c = 0; c < classes; c++) {
                    if (labels[i][c] != 0) {
                        wantLabel[best][c]--;
                        remaining[c]--;
                    }
                }
            }
        }
        return part;
    }

    /**
     * Exactly {@code size} records (ascending indices) chosen so that each class keeps close to {@code fraction}
     * of its positives: {@link #stratify} into two parts ({@code fraction}, {@code 1 - fraction}) gives the start;
     * then records move in or out until the size is exact, and records with different label sets are swapped while
     * a swap lowers {@code sum over classes of (selected_c - fraction * count_c)^4}, the all-negative records counting
     * as one more class. Each step takes the best swap; when none helps and there are at most
     * {@value Search#DOUBLE_SWAP_PATTERNS} distinct label sets, the best pair of swaps. The result is a local minimum
     * of that sum; which record of a label set moves follows the seed's order.
     *
     * <p>What that guarantees: the size, always; every class (and the all-negative records) within one record of
     * {@code fraction × its count} when no record has more than one positive label (the classes then partition the
     * records: at a local minimum of a strictly convex sum the deviations of a class that could give a record and
     * one that could take one differ by at most one, and all deviations sum to {@code size - fraction * n}, at most
     * 0.5 in size, so none can pass ±1). With multi-label records the ±1 can be impossible and the search does not
     * promise it, though on datasets of a few thousand records with a handful of classes it reaches it (tests check
     * the synthetic data).
     */
    static int[] subset(float[][] labels, double fraction, int size, long seed) {
        int n = labels.length;
        if (size >= n) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int classes = n == 0 ? 0 : labels[0].length;
        int dims = classes + 1;   // the all-negative records are class `classes`
        int words = (dims + 63) / 64;
        int[] start = stratify(labels, new double[] {fraction, 1 - fraction}, seed);
        int[] order = shuffled(n, seed);

        // Records with the same label set are interchangeable for the objective: work on label sets ("patterns"),
        // numbered in the seed's order, each with its selected and unselected records in that order.
        Map<Pattern, Integer> ids = new HashMap<>();
        List<long[]> patterns = new ArrayList<>();
        List<ArrayDeque<Integer>> in = new ArrayList<>();
        List<ArrayDeque<Integer>> out = new ArrayList<>();
        double[] dev = new double[dims];
        int[] count = new int[dims];
        int selected = 0;
        for (int i : order) {
            long[] bits = new long[words];
            boolean any = false;
            for (int c = 0; c < classes; c++) {
                if (labels[i][c] != 0) {
                    bits[c >>> 6] |= 1L << c;
                    any = true;
                }
            }
            if (!any) {
                bits[classes >>> 6] |= 1L << classes;
            }
            Integer id = ids.get(new Pattern(bits));
            if (id == null) {
                id = patterns.size();
                ids.put(new Pattern(bits), id);
                patterns.add(bits);
                in.add(new ArrayDeque<>());
                out.add(new ArrayDeque<>());
            }
            for (int c = 0; c < dims; c++) {
                if ((bits[c >>> 6] & 1L << c) != 0) {
                    count[c]++;
                    if (start[i] == 0) {
                        dev[c]++;
                    }
                }
            }
            if (start[i] == 0) {
                in.get(id).addLast(i);
                selected++;
            } else {
                out.get(id).addLast(i);
            }
        }
        for (int c = 0; c < dims; c++) {
            dev[c] -= fraction * count[c];   // once, not count times: no rounding drift
        }
        Search search = new Search(patterns, dev, in, out, words);
        while (selected != size) {
            int q = search.bestSingle(selected < size);
            if (selected < size) {
                search.apply(-1, q);
                selected++;
            } else {
                search.apply(q, -1);
                selected--;
            }
        }
        while (search.improve()) {
            // each step lowers the objective strictly, so this ends
        }
        int[] result = new int[size];
        int k = 0;
        for (ArrayDeque<Integer> records : in) {
            for (int i : records) {
                result[k++] = i;
            }
        }
        Arrays.sort(result);
        return result;
    }

    /**
     * A class's term in the objective: the fourth power of its deviation. Any strictly convex term gives the
     * single-label bound (see {@link #subset}); the fourth power, unlike the square, also prefers lowering the worst
     * class to raising two near-balanced ones (1.5, 0, 0 → 0.5, 1, 1 is a tie for squares), which the synthetic
     * training set needed to stay within one record.
     */
    private static double cost(double deviation) {
        double d2 = deviation * deviation;
        return d2 * d2;
    }

    /**
     * The local search over label sets ("patterns"): the deviation of each class, and per pattern its selected
     * ({@code in}) and unselected ({@code out}) records in the seed's order.
     */
    private static final class Search {
        /** Up to this many label sets, a stuck search also tries two swaps at once (cost grows as its 4th power). */
        private static final int DOUBLE_SWAP_PATTERNS = 48;
        private static final double TOLERANCE = 1e-9;

        private final List<long[]> patterns;
        private final double[] dev;
        private final List<ArrayDeque<Integer>> in;
        private final List<ArrayDeque<Integer>> out;
        private final int[] inCount;
        private final int[] outCount;
        private final int words;
        private final int p;
        private final double[] up;
        private final double[] both;
        private final double[] addCost;
        private final double[] dropCost;

        Search(List<long[]> patterns, double[] dev, List<ArrayDeque<Integer>> in, List<ArrayDeque<Integer>> out,
               int words) {
            this.patterns = patterns;
            this.dev = dev;
            this.in = in;
            this.out = out;
            this.words = words;
            this.p = patterns.size();
            this.inCount = new int[p];
            this.outCount = new int[p];
            for (int q = 0; q < p; q++) {
                inCount[q] = in.get(q).size();
                outCount[q] = out.get(q).size();
            }
            this.up = new double[dev.length];
            this.both = new double[dev.length];
            this.addCost = new double[p];
            this.dropCost = new double[p];
        }

        /** What one more (or one fewer) selected record of each pattern would change, at the current deviations. */
        private void costs() {
            for (int c = 0; c < dev.length; c++) {
                up[c] = cost(dev[c] + 1) - cost(dev[c]);
                both[c] = up[c] + cost(dev[c] - 1) - cost(dev[c]);
            }
            for (int q = 0; q < p; q++) {
                double a = 0;
                double d = 0;
                long[] bits = patterns.get(q);
                for (int c = 0; c < dev.length; c++) {
                    if ((bits[c >>> 6] & 1L << c) != 0) {
                        a += up[c];
                        d += both[c] - up[c];
                    }
                }
                addCost[q] = a;
                dropCost[q] = d;
            }
        }

        /** The pattern whose record is best added ({@code add}) or dropped; ties go to the lower pattern. */
        int bestSingle(boolean add) {
            costs();
            int best = -1;
            for (int q = 0; q < p; q++) {
                if ((add ? outCount[q] : inCount[q]) > 0
                        && (best < 0 || (add ? addCost[q] < addCost[best] : dropCost[q] < dropCost[best]))) {
                    best = q;
                }
            }
            return best;
        }

        /**
         * The best swap (drop a record of pattern {@code r}, add one of {@code q}) at the current deviations, as
         * {@code {r, q}} with its change in {@code change[0]}; {@code null} if none is possible. A swap changes the
         * classes of one pattern and not the other; classes both carry stay as they are.
         */
        private int[] bestSwap(double[] change) {
            costs();
            int[] best = null;
            double bestChange = Double.POSITIVE_INFINITY;
            for (int r = 0; r < p; r++) {
                if (inCount[r] == 0) {
                    continue;
                }
                long[] rb = patterns.get(r);
                for (int q = 0; q < p; q++) {
                    if (q == r || outCount[q] == 0) {
                        continue;
                    }
                    long[] qb = patterns.get(q);
                    double shared = 0;
                    for (int w = 0; w < words; w++) {
                        for (long m = rb[w] & qb[w]; m != 0; m &= m - 1) {
                            shared += both[w * 64 + Long.numberOfTrailingZeros(m)];
                        }
                    }
                    double c = addCost[q] + dropCost[r] - shared;
                    if (c < bestChange) {
                        bestChange = c;
                        best = new int[] {r, q};
                    }
                }
            }
            change[0] = bestChange;
            return best;
        }

        /**
         * One step down: the best single swap if it lowers the objective; else, with few label sets, the best pair
         * of swaps (a first swap that does not help can open a second that helps more, e.g. when every class sits
         * at ±0.5 and one at -1.5); false at a local minimum.
         */
        boolean improve() {
            double[] change = new double[1];
            int[] swap = bestSwap(change);
            if (swap == null) {
                return false;
            }
            if (change[0] < -TOLERANCE) {
                apply(swap[0], swap[1]);
                return true;
            }
            if (p > DOUBLE_SWAP_PATTERNS) {
                return false;
            }
            double bestTotal = -TOLERANCE;
            int[] first = null;
            int[] second = null;
            for (int r = 0; r < p; r++) {
                for (int q = 0; q < p; q++) {
                    if (q == r || inCount[r] == 0 || outCount[q] == 0) {
                        continue;
                    }
                    double before = objective();
                    shift(r, q);
                    double firstChange = objective() - before;
                    int[] next = bestSwap(change);
                    if (next != null && firstChange + change[0] < bestTotal) {
                        bestTotal = firstChange + change[0];
                        first = new int[] {r, q};
                        second = next;
                    }
                    shift(q, r);
                }
            }
            if (first == null) {
                return false;
            }
            apply(first[0], first[1]);
            apply(second[0], second[1]);
            return true;
        }

        private double objective() {
            double sum = 0;
            for (double d : dev) {
                sum += cost(d);
            }
            return sum;
        }

        /** Moves one selected record of {@code drop} out and one of {@code add} in (-1: none), counts only. */
        private void shift(int drop, int add) {
            if (drop >= 0) {
                inCount[drop]--;
                outCount[drop]++;
                move(patterns.get(drop), -1);
            }
            if (add >= 0) {
                outCount[add]--;
                inCount[add]++;
                move(patterns.get(add), +1);
            }
        }

        /** As {@link #shift}, moving the records too: the latest selected one of {@code drop} in the seed's order
         * leaves, the earliest unselected one of {@code add} comes in. */
        void apply(int drop, int add) {
            shift(drop, add);
            if (drop >= 0) {
                out.get(drop).addLast(in.get(drop).pollLast());
            }
            if (add >= 0) {
                in.get(add).addLast(out.get(add).pollFirst());
            }
        }

        private void move(long[] bits, int by) {
            for (int c = 0; c < dev.length; c++) {
                if ((bits[c >>> 6] & 1L << c) != 0) {
                    dev[c] += by;
                }
            }
        }
    }

    /** A label set as a hash key. */
    private record Pattern(long[] bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pattern other && Arrays.equals(bits, other.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }
}
