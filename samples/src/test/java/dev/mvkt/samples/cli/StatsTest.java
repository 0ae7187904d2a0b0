package dev.mvkt.samples.cli;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class StatsTest {
    private static float[][] labels(int... y) {
        float[][] l = new float[y.length][1];
        for (int i = 0; i < y.length; i++) {
            l[i][0] = y[i];
        }
        return l;
    }

    private static double[][] scores(double... s) {
        double[][] p = new double[s.length][1];
        for (int i = 0; i < s.length; i++) {
            p[i][0] = s[i];
        }
        return p;
    }

    @Test
    void aucOfKnownRankings() {
        float[][] y = labels(0, 0, 1, 1);
        assertEquals(1.0, Stats.auc(scores(0.1, 0.2, 0.8, 0.9), y, 0, Stats.all(4)), 1e-12);
        assertEquals(0.0, Stats.auc(scores(0.9, 0.8, 0.2, 0.1), y, 0, Stats.all(4)), 1e-12);
        // One positive below one negative: 3 of 4 pairs ordered.
        assertEquals(0.75, Stats.auc(scores(0.1, 0.5, 0.4, 0.9), y, 0, Stats.all(4)), 1e-12);
        // Ties count half.
        assertEquals(0.5, Stats.auc(scores(0.5, 0.5, 0.5, 0.5), y, 0, Stats.all(4)), 1e-12);
        assertTrue(Double.isNaN(Stats.auc(scores(0.1, 0.2), labels(1, 1), 0, Stats.all(2))));
    }

    @Test
    void aucMatchesPairCountingOnRandomData() {
        qt().withExamples(50).forAll(longs().all(), integers().between(2, 60)).checkAssert((seed, n) -> {
            Random r = new Random(seed);
            float[][] y = new float[n][1];
            double[][] p = new double[n][1];
            for (int i = 0; i < n; i++) {
                y[i][0] = r.nextBoolean() ? 1 : 0;
                p[i][0] = r.nextInt(5) / 4.0; // coarse, so that ties happen
            }
            double pairs = 0;
            double ordered = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (y[i][0] == 1 && y[j][0] == 0) {
                        pairs++;
                        ordered += p[i][0] > p[j][0] ? 1 : p[i][0] == p[j][0] ? 0.5 : 0;
                    }
                }
            }
            double expected = pairs == 0 ? Double.NaN : ordered / pairs;
            assertEquals(expected, Stats.auc(p, y, 0, Stats.all(n)), 1e-12);
        });
    }

    @Test
    void bootstrapIntervalIsSeededAndBracketsTheEstimate() {
        Random r = new Random(3);
        int n = 200;
        float[][] y = new float[n][2];
        double[][] p = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2; c++) {
                y[i][c] = r.nextBoolean() ? 1 : 0;
                p[i][c] = 0.6 * y[i][c] + 0.7 * r.nextDouble();
            }
        }
        double auc = Stats.macroAuc(p, y, Stats.all(n));
        Stats.Interval a = Stats.bootstrapMacroAuc(p, y, 300, 7);
        Stats.Interval b = Stats.bootstrapMacroAuc(p, y, 300, 7);
        assertEquals(a, b);
        assertTrue(a.lo() < auc && auc < a.hi(), a + " vs " + auc);
        assertTrue(a.hi() - a.lo() < 0.2, "200 records give a CI narrower than 20 points: " + a);
        Stats.Interval self = Stats.bootstrapDifference(p, p, y, 100, 1);
        assertEquals(0.0, self.lo(), 0.0);
        assertEquals(0.0, self.hi(), 0.0);
        assertTrue(Double.isNaN(Stats.bootstrapMacroAuc(p, y, 0, 1).lo()));
    }

    @Test
    void rocRunsFromOriginToOneOne() {
        double[][] curve = Stats.roc(scores(0.1, 0.4, 0.35, 0.8), labels(0, 0, 1, 1), 0);
        assertArrayEquals(new double[]{0, 0, 0.5, 0.5, 1}, curve[0], 1e-12);
        assertArrayEquals(new double[]{0, 0.5, 0.5, 1, 1}, curve[1], 1e-12);
    }
}
