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

class RkdLossTest {
    private static final int D = 128;
    private static final LossTerm RKD = Losses.rkd();

    private static double smoothL1(double x) {
        return Math.abs(x) < 1 ? 0.5 * x * x : Math.abs(x) - 0.5;
    }

    private static double dist(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return Math.sqrt(s);
    }

    /** The authors' RkdDistance, written out: pdist / mean of the positive distances, smooth L1 mean over B². */
    private static double literalDistance(double[][] s, double[][] t) {
        int b = s.length;
        double[][] ds = new double[b][b];
        double[][] dt = new double[b][b];
        double ms = 0;
        double mt = 0;
        int n = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                ds[i][j] = dist(s[i], s[j]);
                dt[i][j] = dist(t[i], t[j]);
                if (i != j) {
                    ms += ds[i][j];
                    mt += dt[i][j];
                    n++;
                }
            }
        }
        ms /= n;
        mt /= n;
        double sum = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                sum += smoothL1(ds[i][j] / ms - dt[i][j] / mt);
            }
        }
        return sum / (b * b);
    }

    /** The authors' RKdAngle, written out: cosines of the angle at every anchor, smooth L1 mean over B³. */
    private static double literalAngle(double[][] s, double[][] t) {
        int b = s.length;
        double sum = 0;
        for (int a = 0; a < b; a++) {
            for (int j = 0; j < b; j++) {
                for (int c = 0; c < b; c++) {
                    sum += smoothL1(cosAt(s, a, j, c) - cosAt(t, a, j, c));
                }
            }
        }
        return sum / ((double) b * b * b);
    }

    private static double cosAt(double[][] x, int a, int j, int c) {
        if (j == a || c == a) {
            return 0;
        }
        double dot = 0;
        for (int k = 0; k < x[a].length; k++) {
            dot += (x[j][k] - x[a][k]) * (x[c][k] - x[a][k]);
        }
        return dot / (dist(x[j], x[a]) * dist(x[c], x[a]));
    }

    /** c·Q·x + v for every row: a similarity transform, which RKD cannot see. */
    private static double[][] similarity(Random r, double[][] x) {
        UnaryOperator<double[][]> q = TestSupport.orthogonal(r, D);
        double c = Math.exp(2 * r.nextGaussian());
        double[][] y = q.apply(x);
        double[] v = new double[D];
        for (int k = 0; k < D; k++) {
            v[k] = 5 * r.nextGaussian();
        }
        for (double[] row : y) {
            for (int k = 0; k < D; k++) {
                row[k] = c * row[k] + v[k];
            }
        }
        return y;
    }

    /** A teacher with an outlier row, so that some relations differ by more than 1 (smooth L1's linear part). */
    private static double[][] teacher(Random r, int b) {
        double[][] t = TestSupport.gaussian(r, b, D, 1);
        if (r.nextBoolean()) {
            for (int k = 0; k < D; k++) {
                t[0][k] *= 8;
            }
        }
        return t;
    }

    @Test
    void matchesTheAuthorsFormulas() {
        qt().withExamples(100).forAll(longs().all(), integers().between(2, 6), doubles().between(0, 3),
                doubles().between(0, 3)).check((seed, b, wd, wa) -> {
                    if (wd == 0 && wa == 0) {
                        return true;
                    }
                    Random r = new Random(seed);
                    double[][] s = TestSupport.gaussian(r, b, D, 2);
                    double[][] t = teacher(r, b);
                    double expected = wd * literalDistance(s, t) + wa * literalAngle(s, t);
                    double v = Losses.rkd(wd, wa).compute(embeddings(s, t)).value();
                    return Math.abs(v - expected) <= 1e-12 + 1e-10 * expected;
                });
    }

    @Test
    void isNonNegativeAndFinite() {
        qt().withExamples(100).forAll(longs().all(), integers().between(2, 7), doubles().between(-6, 6))
                .check((seed, b, logScale) -> {
                    Random r = new Random(seed);
                    double[][] s = TestSupport.gaussian(r, b, D, Math.pow(10, logScale));
                    double v = RKD.compute(embeddings(s, teacher(r, b))).value();
                    return v >= 0 && Double.isFinite(v);
                });
    }

    @Test
    void isZeroWhenTheStudentIsASimilarityTransformOfTheTeacher() {
        qt().withExamples(100).forAll(longs().all(), integers().between(2, 6)).check((seed, b) -> {
            Random r = new Random(seed);
            double[][] t = TestSupport.gaussian(r, b, D, 1);
            LossValue same = RKD.compute(embeddings(TestSupport.copy(t), t));
            LossValue moved = RKD.compute(embeddings(similarity(r, t), t));
            return same.value() == 0 && TestSupport.maxAbs(same.dStudentEmbedding()) == 0
                    && moved.value() <= 1e-20;
        });
    }

    @Test
    void isInvariantToScalingRotatingAndShiftingTheStudent() {
        qt().withExamples(100).forAll(longs().all(), integers().between(2, 6)).check((seed, b) -> {
            Random r = new Random(seed);
            double[][] s = TestSupport.gaussian(r, b, D, 1);
            double[][] t = teacher(r, b);
            double a = RKD.compute(embeddings(s, t)).value();
            double z = RKD.compute(embeddings(similarity(r, s), t)).value();
            return Math.abs(a - z) <= 1e-10 * Math.max(1e-3, a);
        });
    }

    @Test
    void isInvariantToPermutingTheBatch() {
        qt().withExamples(100).forAll(longs().all(), integers().between(2, 6)).check((seed, b) -> {
            Random r = new Random(seed);
            double[][] s = TestSupport.gaussian(r, b, D, 1);
            double[][] t = teacher(r, b);
            int[] perm = TestSupport.distinctIndices(r, b, b);
            LossValue a = RKD.compute(embeddings(s, t));
            LossValue p = RKD.compute(embeddings(TestSupport.permuteRows(s, perm), TestSupport.permuteRows(t, perm)));
            double g = TestSupport.maxAbs(a.dStudentEmbedding());
            return Math.abs(a.value() - p.value()) <= 1e-12 * Math.max(1, a.value())
                    && TestSupport.close(TestSupport.permuteRows(a.dStudentEmbedding(), perm), p.dStudentEmbedding(),
                    1e-9, g);
        });
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(7);
        double[][] weights = {{1, 2}, {1, 0}, {0, 1}, {25, 50}};
        for (double[] w : weights) {
            for (int trial = 0; trial < 2; trial++) {
                // With two rows every normalised distance is 1: at least three are needed for a gradient.
                int b = 3 + r.nextInt(3);
                double[][] s = TestSupport.gaussian(r, b, D, 0.5 + trial);
                double[][] t = teacher(r, b);
                LossTerm rkd = Losses.rkd(w[0], w[1]);
                double[][] grad = rkd.compute(embeddings(s, t)).dStudentEmbedding();
                TestSupport.checkGradient("rkd " + w[0] + "/" + w[1] + " trial " + trial, s, grad,
                        x -> rkd.compute(embeddings(x, t)).value());
            }
        }
    }

    /** The gradient also where smooth L1 is linear: a far outlier makes some normalised distances differ by > 1. */
    @Test
    void gradientMatchesFiniteDifferencesInSmoothL1sLinearPart() {
        Random r = new Random(8);
        int b = 6;
        double[][] s = TestSupport.gaussian(r, b, D, 1);
        double[][] t = TestSupport.gaussian(r, b, D, 1);
        for (int k = 0; k < D; k++) {
            t[0][k] *= 30;
        }
        double ms = 0;
        double mt = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                ms += dist(s[i], s[j]) / (b * (b - 1));
                mt += dist(t[i], t[j]) / (b * (b - 1));
            }
        }
        assertTrue(Math.abs(dist(s[0], s[1]) / ms - dist(t[0], t[1]) / mt) > 1, "the case reaches the linear part");
        double[][] grad = RKD.compute(embeddings(s, t)).dStudentEmbedding();
        TestSupport.checkGradient("rkd with an outlier", s, grad, x -> RKD.compute(embeddings(x, t)).value());
    }

    @Test
    void coincidentRowsStayFinite() {
        Random r = new Random(5);
        double[][] s = TestSupport.gaussian(r, 4, D, 1);
        s[1] = s[0].clone();
        double[][] all = new double[4][D];
        for (double[][] x : new double[][][] {s, all}) {
            LossValue v = RKD.compute(embeddings(x, teacher(r, 4)));
            assertTrue(Double.isFinite(v.value()) && v.value() > 0, "value " + v.value());
            TestSupport.assertAllFinite("rkd dStudentEmbedding", v.dStudentEmbedding());
        }
    }

    @Test
    void describesItselfAndLeavesTheTeacherAlone() {
        RkdLoss rkd = (RkdLoss) RKD;
        assertEquals(1.0, rkd.distanceWeight());
        assertEquals(2.0, rkd.angleWeight());
        assertEquals("rkd", rkd.name());
        assertEquals(Map.of("distanceWeight", 25.0, "angleWeight", 50.0, "embeddingDim", 128),
                Losses.rkd(25, 50).config());
        assertTrue(rkd.needsTeacher());
        assertEquals(128, rkd.embeddingDim());
        LossValue v = rkd.compute(embeddings(TestSupport.gaussian(new Random(2), 3, D, 1),
                TestSupport.gaussian(new Random(3), 3, D, 1)));
        assertNull(v.dTeacherEmbedding());
        assertNull(v.dStudentLogits());
        assertEquals(Map.of("rkd", v.value()), v.parts());
    }

    @Test
    void rejectsABatchOfOneAndBadWeights() {
        double[][] one = TestSupport.gaussian(new Random(1), 1, D, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RKD.compute(embeddings(one, one)));
        assertTrue(e.getMessage().contains("at least 2 rows"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Losses.rkd(-1, 2)).getMessage()
                .contains("RKD distanceWeight must be finite and >= 0, was -1.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Losses.rkd(1, Double.NaN)).getMessage()
                .contains("RKD angleWeight"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Losses.rkd(0, 0)).getMessage()
                .contains("both 0"));
        double[][] two = TestSupport.gaussian(new Random(1), 2, D, 1);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> RKD.compute(embeddings(two, null)));
        assertTrue(missing.getMessage().contains("rkd needs teacherEmbedding"), missing.getMessage());
    }
}
