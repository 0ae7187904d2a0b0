package dev.mvkt.losses;

import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static dev.mvkt.losses.TestSupport.embeddings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class FitnetLossTest {
    private static final int D = 128;
    private static final LossTerm FITNET = Losses.fitnet();

    private static double cosine(double[] a, double[] b) {
        return Numerics.dot(a, b) / (Numerics.norm(a) * Numerics.norm(b));
    }

    @Test
    void isTwoMinusTwoCosinePerRowAndLiesInZeroToFour() {
        qt().withExamples(200).forAll(longs().all(), integers().between(1, 6), doubles().between(-3, 3))
                .check((seed, b, logScale) -> {
                    Random r = new Random(seed);
                    double[][] s = TestSupport.gaussian(r, b, D, Math.pow(10, logScale));
                    double[][] t = TestSupport.gaussian(r, b, D, 1);
                    if (r.nextBoolean()) {
                        // Opposite directions: the maximum, 4.
                        for (int k = 0; k < D; k++) {
                            s[0][k] = -3 * t[0][k];
                        }
                    }
                    double expected = 0;
                    for (int i = 0; i < b; i++) {
                        expected += 2 - 2 * cosine(s[i], t[i]);
                    }
                    expected /= b;
                    double v = FITNET.compute(embeddings(s, t)).value();
                    return v >= 0 && v <= 4 + 1e-12 && Math.abs(v - expected) <= 1e-12;
                });
    }

    @Test
    void isZeroWhenStudentPointsWhereTheTeacherDoes() {
        qt().withExamples(200).forAll(longs().all(), integers().between(1, 6)).check((seed, b) -> {
            Random r = new Random(seed);
            double[][] t = TestSupport.gaussian(r, b, D, 1);
            LossValue same = FITNET.compute(embeddings(TestSupport.copy(t), t));
            double[][] scaled = TestSupport.copy(t);
            for (double[] row : scaled) {
                double c = Math.exp(4 * r.nextGaussian());
                for (int k = 0; k < D; k++) {
                    row[k] *= c;
                }
            }
            LossValue v = FITNET.compute(embeddings(scaled, t));
            // Rounding leaves ŝ − t̂ at ~1e-16; the gradient divides it by ‖s‖, so it is bounded relative to 1/‖s‖.
            for (int i = 0; i < b; i++) {
                double norm = Numerics.norm(scaled[i]);
                for (double g : v.dStudentEmbedding()[i]) {
                    if (Math.abs(g) * norm > 1e-12) {
                        return false;
                    }
                }
            }
            return same.value() == 0 && TestSupport.maxAbs(same.dStudentEmbedding()) == 0 && v.value() <= 1e-28;
        });
    }

    @Test
    void isInvariantToRescalingRowsAndToRotatingBothSides() {
        qt().withExamples(100).forAll(longs().all(), integers().between(1, 6)).check((seed, b) -> {
            Random r = new Random(seed);
            double[][] s = TestSupport.gaussian(r, b, D, 1);
            double[][] t = TestSupport.gaussian(r, b, D, 1);
            LossValue a = FITNET.compute(embeddings(s, t));
            double[][] s2 = TestSupport.copy(s);
            double[][] t2 = TestSupport.copy(t);
            double[] c = new double[b];
            for (int i = 0; i < b; i++) {
                c[i] = Math.exp(r.nextGaussian());
                double ct = Math.exp(r.nextGaussian());
                for (int k = 0; k < D; k++) {
                    s2[i][k] *= c[i];
                    t2[i][k] *= ct;
                }
            }
            LossValue scaled = FITNET.compute(embeddings(s2, t2));
            // A scale-invariant function's gradient scales by 1/c.
            double[][] expected = TestSupport.copy(a.dStudentEmbedding());
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < D; k++) {
                    expected[i][k] /= c[i];
                }
            }
            UnaryOperator<double[][]> q = TestSupport.orthogonal(r, D);
            LossValue rotated = FITNET.compute(embeddings(q.apply(s), q.apply(t)));
            double g = TestSupport.maxAbs(a.dStudentEmbedding());
            return Math.abs(scaled.value() - a.value()) <= 1e-12 && Math.abs(rotated.value() - a.value()) <= 1e-12
                    && TestSupport.close(expected, scaled.dStudentEmbedding(), 1e-9, g)
                    && TestSupport.close(q.apply(a.dStudentEmbedding()), rotated.dStudentEmbedding(), 1e-9, g);
        });
    }

    @Test
    void isInvariantToPermutingTheBatch() {
        qt().withExamples(100).forAll(longs().all(), integers().between(2, 6)).check((seed, b) -> {
            Random r = new Random(seed);
            double[][] s = TestSupport.gaussian(r, b, D, 1);
            double[][] t = TestSupport.gaussian(r, b, D, 1);
            int[] perm = TestSupport.distinctIndices(r, b, b);
            LossValue a = FITNET.compute(embeddings(s, t));
            LossValue p = FITNET.compute(embeddings(TestSupport.permuteRows(s, perm), TestSupport.permuteRows(t, perm)));
            return Math.abs(a.value() - p.value()) <= 1e-12
                    && TestSupport.close(TestSupport.permuteRows(a.dStudentEmbedding(), perm), p.dStudentEmbedding(),
                    1e-12, 1);
        });
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(3);
        for (int trial = 0; trial < 4; trial++) {
            int b = 1 + r.nextInt(4);
            double[][] s = TestSupport.gaussian(r, b, D, 0.5 + trial);
            double[][] t = TestSupport.gaussian(r, b, D, 1);
            double[][] grad = FITNET.compute(embeddings(s, t)).dStudentEmbedding();
            TestSupport.checkGradient("fitnet trial " + trial, s, grad, x -> FITNET.compute(embeddings(x, t)).value());
        }
    }

    @Test
    void aRowWithoutDirectionIsFiniteAndGetsNoGradient() {
        double[][] s = new double[2][D];
        double[][] t = TestSupport.gaussian(new Random(1), 2, D, 1);
        s[1][0] = 1;
        LossValue v = FITNET.compute(embeddings(s, t));
        assertTrue(Double.isFinite(v.value()));
        assertEquals(0, TestSupport.maxAbs(new double[][] {v.dStudentEmbedding()[0]}));
        assertTrue(TestSupport.maxAbs(new double[][] {v.dStudentEmbedding()[1]}) > 0);
    }

    @Test
    void describesItselfAndLeavesTheTeacherAlone() {
        assertEquals("fitnet", FITNET.name());
        assertEquals(Map.of("embeddingDim", 128, "normalised", true), FITNET.config());
        assertTrue(FITNET.needsTeacher());
        assertEquals(128, FITNET.embeddingDim());
        assertEquals(128, Losses.bce().plus(Losses.fitnet().weight(1)).embeddingDim());
        LossValue v = FITNET.compute(embeddings(TestSupport.gaussian(new Random(2), 2, D, 1),
                TestSupport.gaussian(new Random(3), 2, D, 1)));
        assertNull(v.dTeacherEmbedding(), "the hint is a constant");
        assertNull(v.dStudentLogits());
        assertEquals(Map.of("fitnet", v.value()), v.parts());
    }

    @Test
    void rejectsMissingMisshapenOrNonFiniteEmbeddings() {
        double[][] ok = TestSupport.gaussian(new Random(4), 2, D, 1);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> FITNET.compute(embeddings(ok, null)));
        assertTrue(missing.getMessage().contains("teacherEmbedding"), missing.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> FITNET.compute(embeddings(new double[2][64], ok)));
        assertTrue(shape.getMessage().contains("studentEmbedding row 0 has 64 columns, expected 128"),
                shape.getMessage());
        double[][] nan = TestSupport.copy(ok);
        nan[1][5] = Double.NaN;
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> FITNET.compute(embeddings(nan, ok)));
        assertTrue(bad.getMessage().contains("studentEmbedding[1][5] is not finite"), bad.getMessage());
    }
}
