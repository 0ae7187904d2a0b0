package dev.mvkt.datasets;

import dev.mvkt.api.SplitName;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded multi-label stratified folds (iterative stratification, Sechidis et al. 2011, as PTB-XL's
 * {@code strat_fold} and helme's benchmark use): the rarest label is placed first, each of its records into the
 * fold that still wants that label most, so every fold gets a fair share of every class.
 */
final class Folds {
    static final int FOLDS = 10;

    private Folds() {
    }

    /** Fold 1..10 of each record, from its multi-hot labels; depends only on the labels, their order and the seed. */
    static int[] assign(float[][] labels, long seed) {
        int n = labels.length;
        int classes = n == 0 ? 0 : labels[0].length;
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
        double[][] wantLabel = new double[FOLDS][classes];
        double[] wantTotal = new double[FOLDS];
        int[] remaining = new int[classes];
        for (float[] y : labels) {
            for (int c = 0; c < classes; c++) {
                if (y[c] != 0) {
                    remaining[c]++;
                }
            }
        }
        for (int f = 0; f < FOLDS; f++) {
            wantTotal[f] = n / (double) FOLDS;
            for (int c = 0; c < classes; c++) {
                wantLabel[f][c] = remaining[c] / (double) FOLDS;
            }
        }
        int[] fold = new int[n];
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
                for (int f = 0; f < FOLDS; f++) {
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
                fold[i] = best + 1;
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
        return fold;
    }

    /** Folds 1–8 train, 9 validation, 10 test. */
    static SplitName split(int fold) {
        return fold <= 8 ? SplitName.TRAIN : fold == 9 ? SplitName.VAL : SplitName.TEST;
    }
}
