package dev.mvkt.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.doubles;

class MetricsTest {

    @Test
    void aucOfKnownCases() {
        boolean[] y = {false, false, true, true};
        assertEquals(1.0, Metrics.auc(new double[]{0.1, 0.2, 0.8, 0.9}, y), 1e-12);
        assertEquals(0.0, Metrics.auc(new double[]{0.9, 0.8, 0.2, 0.1}, y), 1e-12);
        assertEquals(0.5, Metrics.auc(new double[]{0.5, 0.5, 0.5, 0.5}, y), 1e-12);
        // sklearn.metrics.roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.75
        assertEquals(0.75, Metrics.auc(new double[]{0.1, 0.4, 0.35, 0.8}, y), 1e-12);
        assertTrue(Double.isNaN(Metrics.auc(new double[]{0.1, 0.2}, new boolean[]{true, true})));
    }

    @Test
    void aucEqualsPairwiseDefinition() {
        qt().forAll(lists().of(doubles().between(0, 1)).ofSizeBetween(2, 40), integers().between(1, 1000))
                .check((scores, seed) -> {
                    int n = scores.size();
                    double[] s = new double[n];
                    boolean[] y = new boolean[n];
                    java.util.Random r = new java.util.Random(seed);
                    for (int i = 0; i < n; i++) {
                        s[i] = Math.round(scores.get(i) * 10) / 10.0; // force ties
                        y[i] = r.nextBoolean();
                    }
                    double pairs = 0;
                    double wins = 0;
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            if (y[i] && !y[j]) {
                                pairs++;
                                wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                            }
                        }
                    }
                    double auc = Metrics.auc(s, y);
                    return pairs == 0 ? Double.isNaN(auc) : Math.abs(auc - wins / pairs) < 1e-12;
                });
    }

    @Test
    void bestF1ThresholdSeparatesSeparableScores() {
        double[] s = {0.1, 0.2, 0.3, 0.7, 0.8};
        boolean[] y = {false, false, false, true, true};
        double t = Metrics.bestF1Threshold(s, y);
        assertTrue(t > 0.3 && t <= 0.7, "threshold " + t);
        long[] c = Metrics.confusion(s, y, t);
        assertEquals(1.0, Metrics.f1(c), 1e-12);
        assertEquals(1.0, Metrics.accuracy(c), 1e-12);
    }
}
