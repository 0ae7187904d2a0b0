package dev.mvkt.datasets;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.SplitName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class StratifiedSubsetTest {

    /**
     * The labels of the default synthetic training split (2000 records), from the generator's parameters alone:
     * record i's labels are a pure function of (version, seed, split, i), so no signal needs rendering.
     * {@link #theParameterLabelsAreTheTrainLabels} checks that on the records of a built dataset.
     */
    private static final float[][] SYNTHETIC_TRAIN = syntheticTrainLabels(2000);

    private static float[][] syntheticTrainLabels(int n) {
        float[][] y = new float[n][];
        for (int i = 0; i < n; i++) {
            y[i] = SyntheticEcg.labels(SyntheticEcg.params(SyntheticEcg.VERSION, 0, SplitName.TRAIN, i,
                    SyntheticEcg.DEFAULT_DIFFICULTY, SyntheticEcg.DEFAULT_CO_OCCURRENCE));
        }
        return y;
    }

    /** The largest |selected_c − fraction · count_c| over classes, the all-negative rows counting as a class. */
    static double worstDeviation(float[][] y, int[] subset, double fraction) {
        int classes = y.length == 0 ? 0 : y[0].length;
        double[] dev = new double[classes + 1];
        boolean[] in = new boolean[y.length];
        for (int i : subset) {
            in[i] = true;
        }
        for (int i = 0; i < y.length; i++) {
            boolean any = false;
            for (int c = 0; c < classes; c++) {
                if (y[i][c] != 0) {
                    any = true;
                    dev[c] += (in[i] ? 1 : 0) - fraction;
                }
            }
            if (!any) {
                dev[classes] += (in[i] ? 1 : 0) - fraction;
            }
        }
        return Arrays.stream(dev).map(Math::abs).max().orElse(0);
    }

    private static void assertWellFormed(int[] s, int n, double fraction) {
        assertEquals(Math.round(fraction * n), s.length, "size for fraction " + fraction + " of " + n);
        for (int j = 0; j < s.length; j++) {
            assertTrue(s[j] >= 0 && s[j] < n, "index " + s[j] + " outside 0.." + (n - 1));
            if (j > 0) {
                assertTrue(s[j - 1] < s[j], "indices not strictly ascending at " + j + ": " + Arrays.toString(s));
            }
        }
    }

    @Test
    void theParameterLabelsAreTheTrainLabels() {
        EcgDataset small = SyntheticEcg.builder().optSizes(30, 1, 1).optDurationSeconds(1).build();
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(small.train().labels(i), SYNTHETIC_TRAIN[i], "record " + i);
        }
    }

    @Test
    void everyClassOfTheSyntheticTrainSetStaysWithinOneRecord() {
        for (double f : new double[] {0.125, 0.25, 0.5}) {
            for (long seed = 0; seed < 3; seed++) {
                int[] s = EcgDatasets.stratifiedSubset(SYNTHETIC_TRAIN, f, seed);
                assertWellFormed(s, 2000, f);
                for (int c = 0; c < SyntheticEcg.LABELS.size(); c++) {
                    int count = 0;
                    int selected = 0;
                    for (int i = 0; i < 2000; i++) {
                        count += (int) SYNTHETIC_TRAIN[i][c];
                    }
                    for (int i : s) {
                        selected += (int) SYNTHETIC_TRAIN[i][c];
                    }
                    assertTrue(Math.abs(selected - f * count) <= 1, "fraction " + f + ", seed " + seed + ", class "
                            + SyntheticEcg.LABELS.name(c) + ": " + selected + " of " + count);
                }
            }
        }
    }

    @Test
    void seededAndDeterministic() {
        int[] a = EcgDatasets.stratifiedSubset(SYNTHETIC_TRAIN, 0.25, 7);
        assertArrayEquals(a, EcgDatasets.stratifiedSubset(SYNTHETIC_TRAIN, 0.25, 7));
        int[] b = EcgDatasets.stratifiedSubset(SYNTHETIC_TRAIN, 0.25, 8);
        assertFalse(Arrays.equals(a, b), "seeds 7 and 8 chose the same records");
        long shared = Arrays.stream(a).filter(i -> Arrays.binarySearch(b, i) >= 0).count();
        assertTrue(shared < 0.5 * a.length, "seeds 7 and 8 share " + shared + " of " + a.length + " records");
        assertArrayEquals(a, EcgDatasets.stratifiedSubset(SYNTHETIC_TRAIN.clone(), 0.25, 7), "labels not modified");
    }

    @Test
    void fractionOneIsEveryRecord() {
        int[] all = EcgDatasets.stratifiedSubset(SYNTHETIC_TRAIN, 1, 3);
        assertEquals(2000, all.length);
        assertEquals(1999, all[1999]);
    }

    @Test
    void badFractionsAreNamed() {
        for (double f : new double[] {0, -0.5, 1.0001, Double.NaN, Double.POSITIVE_INFINITY}) {
            String m = assertThrows(IllegalArgumentException.class,
                    () -> EcgDatasets.stratifiedSubset(SYNTHETIC_TRAIN, f, 0)).getMessage();
            assertTrue(m.contains("(0, 1]") && m.contains(String.valueOf(f)), m);
        }
        String tooSmall = assertThrows(IllegalArgumentException.class,
                () -> EcgDatasets.stratifiedSubset(new float[10][3], 0.04, 0)).getMessage();
        assertTrue(tooSmall.contains("0.04") && tooSmall.contains("10 records") && tooSmall.contains("at least 1"),
                tooSmall);
        assertThrows(IllegalArgumentException.class, () -> EcgDatasets.stratifiedSubset(new float[0][3], 1, 0));
        assertEquals(1, EcgDatasets.stratifiedSubset(new float[10][3], 0.05, 0).length, "round(0.5) = 1");
    }

    @Test
    void allNegativeRowsAreStratifiedAsAClassOfTheirOwn() {
        int[] none = EcgDatasets.stratifiedSubset(new float[37][4], 0.25, 1);
        assertWellFormed(none, 37, 0.25);
        float[][] y = new float[400][3];
        for (int i = 0; i < 400; i++) {
            if (i % 5 != 0) {   // 80 all-negative rows, the rest one or two labels
                y[i][i % 3] = 1;
                y[i][(i / 7) % 3] = 1;
            }
        }
        for (long seed = 0; seed < 4; seed++) {
            int[] s = EcgDatasets.stratifiedSubset(y, 0.125, seed);
            assertWellFormed(s, 400, 0.125);
            long negatives = Arrays.stream(s).filter(i -> i % 5 == 0).count();
            assertTrue(Math.abs(negatives - 10) <= 1, negatives + " of 80 all-negative rows for 1/8");
            assertTrue(worstDeviation(y, s, 0.125) <= 1, "worst " + worstDeviation(y, s, 0.125));
        }
    }

    @Test
    void raggedRowsAreRefused() {
        float[][] y = {{1, 0}, {0, 1, 0}};
        String m = assertThrows(IllegalArgumentException.class, () -> EcgDatasets.stratifiedSubset(y, 0.5, 0))
                .getMessage();
        assertTrue(m.contains("row 1"), m);
    }

    @Test
    void randomMultiHotMatricesGiveExactSortedUniqueSubsets() {
        qt().withExamples(150).forAll(integers().between(1, 400), integers().between(1, 9),
                doubles().between(0.0001, 1), longs().all()).checkAssert((n, classes, fraction, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    float[][] y = new float[n][classes];
                    double density = r.nextDouble() * 0.6;   // 0 included: all-negative rows, even all of them
                    double negativeRows = r.nextDouble();
                    for (float[] row : y) {
                        if (r.nextDouble() < negativeRows) {
                            continue;
                        }
                        for (int c = 0; c < classes; c++) {
                            row[c] = r.nextDouble() < density ? 1 : 0;
                        }
                    }
                    if (Math.round(fraction * n) < 1) {
                        assertThrows(IllegalArgumentException.class,
                                () -> EcgDatasets.stratifiedSubset(y, fraction, seed));
                        return;
                    }
                    int[] s = EcgDatasets.stratifiedSubset(y, fraction, seed);
                    assertWellFormed(s, n, fraction);
                    assertArrayEquals(s, EcgDatasets.stratifiedSubset(y, fraction, seed));
                });
    }

    /**
     * The true guarantee of the ±1 bound: with at most one positive label per row (the all-negative rows a class
     * of their own) the swap search's local minimum keeps every class within one record (see {@code Folds.subset}).
     */
    @Test
    void singleLabelRowsKeepEveryClassWithinOneRecord() {
        qt().withExamples(200).forAll(integers().between(1, 500), integers().between(1, 8),
                doubles().between(0.001, 1), longs().all()).checkAssert((n, classes, fraction, seed) -> {
                    if (Math.round(fraction * n) < 1) {
                        return;
                    }
                    SplittableRandom r = new SplittableRandom(seed);
                    float[][] y = new float[n][classes];
                    for (float[] row : y) {
                        int c = r.nextInt(classes + 1);   // classes: no label
                        if (c < classes) {
                            row[c] = 1;
                        }
                    }
                    int[] s = EcgDatasets.stratifiedSubset(y, fraction, seed);
                    assertWellFormed(s, n, fraction);
                    double worst = worstDeviation(y, s, fraction);
                    assertTrue(worst <= 1 + 1e-6, "worst class deviation " + worst + " for fraction " + fraction
                            + " of " + n + " rows, " + classes + " classes");
                });
    }

    /**
     * Multi-label rows can make ±1 impossible: six rows and one class per 3-row subset, half of them chosen. Whichever
     * 3 rows are chosen, the class made of exactly those rows has all 3 of its positives selected (1.5 more than half),
     * and its complement none. The subset still has its exact size and reaches that best possible 1.5.
     */
    @Test
    void multiLabelRowsCanMakeOneRecordImpossible() {
        int n = 6;
        int[] triples = java.util.stream.IntStream.range(0, 1 << n).filter(m -> Integer.bitCount(m) == 3).toArray();
        float[][] y = new float[n][triples.length];
        for (int c = 0; c < triples.length; c++) {
            for (int i = 0; i < n; i++) {
                y[i][c] = (triples[c] >> i & 1) != 0 ? 1 : 0;
            }
        }
        double best = Double.MAX_VALUE;
        for (int m : triples) {
            best = Math.min(best, worstDeviation(y, java.util.stream.IntStream.range(0, n)
                    .filter(i -> (m >> i & 1) != 0).toArray(), 0.5));
        }
        assertEquals(1.5, best, 1e-12, "no 3 of the 6 rows keep every class within one record");
        for (long seed = 0; seed < 5; seed++) {
            int[] s = EcgDatasets.stratifiedSubset(y, 0.5, seed);
            assertWellFormed(s, n, 0.5);
            assertEquals(1.5, worstDeviation(y, s, 0.5), 1e-12);
        }
    }
}
