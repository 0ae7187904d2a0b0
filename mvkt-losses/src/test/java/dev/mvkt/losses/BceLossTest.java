package dev.mvkt.losses;

import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static dev.mvkt.losses.TestSupport.assertAllFinite;
import static dev.mvkt.losses.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class BceLossTest {
    private final LossTerm bce = Losses.bce();

    @Test
    void matchesTheTextbookFormulaAtModerateLogits() {
        qt().forAll(longs().all(), integers().between(1, 6), integers().between(1, 7)).check((seed, b, c) -> {
            Random r = new Random(seed);
            double[][] z = TestSupport.gaussian(r, b, c, 4);
            double[][] y = TestSupport.uniform(r, b, c, 0, 1);
            double expected = 0;
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < c; k++) {
                    double p = 1 / (1 + Math.exp(-z[i][k]));
                    expected -= y[i][k] * Math.log(p) + (1 - y[i][k]) * Math.log(1 - p);
                }
            }
            expected /= b * c;
            double value = bce.compute(LossInputs.of(z, y)).value();
            return Math.abs(value - expected) <= 1e-9 * Math.max(1, expected);
        });
    }

    @Test
    void isNonNegative() {
        qt().forAll(longs().all(), integers().between(1, 6), integers().between(1, 7)).check((seed, b, c) -> {
            Random r = new Random(seed);
            double[][] z = TestSupport.gaussian(r, b, c, 30);
            double[][] y = r.nextBoolean() ? TestSupport.multiHot(r, b, c) : TestSupport.uniform(r, b, c, 0, 1);
            double v = bce.compute(LossInputs.of(z, y)).value();
            return v >= 0 && Double.isFinite(v);
        });
    }

    /** The "student equals target" case of BCE: at z = logit(y) the loss is minimal and its gradient vanishes. */
    @Test
    void isMinimalWherePredictionEqualsTarget() {
        qt().forAll(longs().all(), integers().between(1, 5), integers().between(1, 5)).check((seed, b, c) -> {
            Random r = new Random(seed);
            double[][] y = TestSupport.uniform(r, b, c, 0.02, 0.98);
            double[][] z = new double[b][c];
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < c; k++) {
                    z[i][k] = Math.log(y[i][k] / (1 - y[i][k]));
                }
            }
            LossValue best = bce.compute(LossInputs.of(z, y));
            for (double[] g : best.dStudentLogits()) {
                for (double x : g) {
                    if (Math.abs(x) > 1e-12) {
                        return false;
                    }
                }
            }
            double[][] moved = TestSupport.copy(z);
            moved[r.nextInt(b)][r.nextInt(c)] += r.nextBoolean() ? 0.1 : -0.1;
            return bce.compute(LossInputs.of(moved, y)).value() > best.value();
        });
    }

    @Test
    void isInvariantToPermutingRowsAndClasses() {
        qt().forAll(longs().all(), integers().between(1, 6), integers().between(1, 6)).check((seed, b, c) -> {
            Random r = new Random(seed);
            double[][] z = TestSupport.gaussian(r, b, c, 5);
            double[][] y = TestSupport.multiHot(r, b, c);
            int[] rows = TestSupport.distinctIndices(r, b, b);
            int[] cols = TestSupport.distinctIndices(r, c, c);
            double[][] zp = new double[b][c];
            double[][] yp = new double[b][c];
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < c; k++) {
                    zp[i][k] = z[rows[i]][cols[k]];
                    yp[i][k] = y[rows[i]][cols[k]];
                }
            }
            LossValue a = bce.compute(LossInputs.of(z, y));
            LossValue p = bce.compute(LossInputs.of(zp, yp));
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < c; k++) {
                    if (a.dStudentLogits()[rows[i]][cols[k]] != p.dStudentLogits()[i][k]) {
                        return false;
                    }
                }
            }
            return Math.abs(a.value() - p.value()) <= 1e-12 * Math.max(1, a.value());
        });
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(11);
        for (int trial = 0; trial < 5; trial++) {
            int b = 1 + r.nextInt(5);
            int c = 1 + r.nextInt(6);
            double[][] z = TestSupport.gaussian(r, b, c, 3);
            double[][] y = trial % 2 == 0 ? TestSupport.multiHot(r, b, c) : TestSupport.uniform(r, b, c, 0, 1);
            double[][] grad = bce.compute(LossInputs.of(z, y)).dStudentLogits();
            TestSupport.checkGradient("bce dStudentLogits", z, grad, x -> bce.compute(LossInputs.of(x, y)).value());
        }
    }

    @Test
    void staysFiniteAtExtremeLogits() {
        double[][] z = {{100, -100, 100, -100}, {1e4, -1e4, 0, 745}};
        double[][] y = {{1, 0, 0, 1}, {0.5, 0.5, 1, 0}};
        LossValue v = bce.compute(LossInputs.of(z, y));
        assertTrue(Double.isFinite(v.value()));
        assertAllFinite("dStudentLogits", v.dStudentLogits());
        // Row 0: two confident hits (≈0) and two confident misses (≈100 each).
        double[][] z0 = {{100, -100, 100, -100}};
        double[][] y0 = {{1, 0, 0, 1}};
        assertEquals(200.0 / 4, bce.compute(LossInputs.of(z0, y0)).value(), 1e-12);
        assertEquals(0.25, bce.compute(LossInputs.of(z0, y0)).dStudentLogits()[0][2], 1e-15);
    }

    @Test
    void returnsOnlyALogitGradientAndItsPart() {
        double[][] z = {{0.3, -1}};
        double[][] y = {{1, 0}};
        LossValue v = bce.compute(LossInputs.of(z, y));
        assertNull(v.dStudentEmbedding());
        assertNull(v.dTeacherEmbedding());
        assertEquals(Map.of("bce", v.value()), v.parts());
        assertEquals("bce", bce.name());
        assertEquals(0, bce.embeddingDim());
        assertTrue(!bce.needsTeacher());
    }

    @Test
    void rejectsLabelsOfAnotherShape() {
        double[][] z = {{0.3, -1}};
        double[][] y = {{1, 0, 1}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bce.compute(LossInputs.of(z, y)));
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
    }

    @Test
    void gradientIsTheMeanOfSigmoidMinusTarget() {
        double[][] z = {{0.0, 2.0}, {-1.0, 0.5}};
        double[][] y = {{1, 0}, {0, 1}};
        double[][] g = bce.compute(LossInputs.of(z, y)).dStudentLogits();
        double[][] expected = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 2; k++) {
                expected[i][k] = (1 / (1 + Math.exp(-z[i][k])) - y[i][k]) / 4;
            }
        }
        assertClose(expected, g, 1e-15, "bce gradient");
    }
}
