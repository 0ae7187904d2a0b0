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

class PktLossTest {
    private static final int D = 128;
    private static final LossTerm PKT = Losses.pkt();

    /**
     * Passalis and Tefas's cosine_similarity_loss, written out, with the kernel's ε where this library puts it:
     * conditional distributions of (cos + 1)/2 over each row, KL(teacher ‖ student) summed, averaged over rows.
     */
    private static double literal(double[][] s, double[][] t) {
        int b = s.length;
        double[][] p = conditional(t);
        double[][] q = conditional(s);
        double sum = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                sum += p[i][j] * Math.log(p[i][j] / q[i][j]);
            }
        }
        return sum / b;
    }

    private static double[][] conditional(double[][] x) {
        int b = x.length;
        double[][] k = new double[b][b];
        for (int i = 0; i < b; i++) {
            double row = 0;
            for (int j = 0; j < b; j++) {
                double cos = Numerics.dot(x[i], x[j]) / (Numerics.norm(x[i]) * Numerics.norm(x[j]));
                k[i][j] = (cos + 1) / 2 + 1e-7;
                row += k[i][j];
            }
            for (int j = 0; j < b; j++) {
                k[i][j] /= row;
            }
        }
        return k;
    }

    /** Each row scaled by its own positive factor, then all rotated alike: PKT sees only cosines. */
    private static double[][] rescaledAndRotated(Random r, double[][] x) {
        double[][] y = TestSupport.copy(x);
        for (double[] row : y) {
            double c = Math.exp(3 * r.nextGaussian());
            for (int k = 0; k < D; k++) {
                row[k] *= c;
            }
        }
        UnaryOperator<double[][]> q = TestSupport.orthogonal(r, D);
        return q.apply(y);
    }

    @Test
    void matchesTheAuthorsFormula() {
        qt().withExamples(100).forAll(longs().all(), integers().between(1, 7), doubles().between(-3, 3))
                .check((seed, b, logScale) -> {
                    Random r = new Random(seed);
                    double[][] s = TestSupport.gaussian(r, b, D, Math.pow(10, logScale));
                    double[][] t = TestSupport.gaussian(r, b, D, 1);
                    double v = PKT.compute(embeddings(s, t)).value();
                    double expected = literal(s, t);
                    return Math.abs(v - expected) <= 1e-13 + 1e-9 * expected;
                });
    }

    @Test
    void isNonNegativeAndFinite() {
        qt().withExamples(100).forAll(longs().all(), integers().between(1, 7)).check((seed, b) -> {
            Random r = new Random(seed);
            double[][] s = TestSupport.gaussian(r, b, D, 1);
            double[][] t = r.nextBoolean() ? TestSupport.gaussian(r, b, D, 1) : rescaledAndRotated(r, s);
            double v = PKT.compute(embeddings(s, t)).value();
            return v >= 0 && Double.isFinite(v);
        });
    }

    @Test
    void isZeroWhenTheStudentRelatesRecordsAsTheTeacherDoes() {
        qt().withExamples(100).forAll(longs().all(), integers().between(1, 6)).check((seed, b) -> {
            Random r = new Random(seed);
            double[][] t = TestSupport.gaussian(r, b, D, 1);
            LossValue same = PKT.compute(embeddings(TestSupport.copy(t), t));
            LossValue moved = PKT.compute(embeddings(rescaledAndRotated(r, t), t));
            return same.value() == 0 && TestSupport.maxAbs(same.dStudentEmbedding()) == 0
                    && moved.value() <= 1e-15;
        });
    }

    @Test
    void isInvariantToRescalingRowsAndRotatingEitherSide() {
        qt().withExamples(100).forAll(longs().all(), integers().between(2, 6)).check((seed, b) -> {
            Random r = new Random(seed);
            double[][] s = TestSupport.gaussian(r, b, D, 1);
            double[][] t = TestSupport.gaussian(r, b, D, 1);
            double a = PKT.compute(embeddings(s, t)).value();
            double moveStudent = PKT.compute(embeddings(rescaledAndRotated(r, s), t)).value();
            double moveTeacher = PKT.compute(embeddings(s, rescaledAndRotated(r, t))).value();
            return Math.abs(a - moveStudent) <= 1e-10 * a + 1e-15 && Math.abs(a - moveTeacher) <= 1e-10 * a + 1e-15;
        });
    }

    @Test
    void isInvariantToPermutingTheBatch() {
        qt().withExamples(100).forAll(longs().all(), integers().between(2, 6)).check((seed, b) -> {
            Random r = new Random(seed);
            double[][] s = TestSupport.gaussian(r, b, D, 1);
            double[][] t = TestSupport.gaussian(r, b, D, 1);
            int[] perm = TestSupport.distinctIndices(r, b, b);
            LossValue a = PKT.compute(embeddings(s, t));
            LossValue p = PKT.compute(embeddings(TestSupport.permuteRows(s, perm), TestSupport.permuteRows(t, perm)));
            double g = TestSupport.maxAbs(a.dStudentEmbedding());
            return Math.abs(a.value() - p.value()) <= 1e-12 * Math.max(1e-3, a.value())
                    && TestSupport.close(TestSupport.permuteRows(a.dStudentEmbedding(), perm), p.dStudentEmbedding(),
                    1e-9, g);
        });
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(9);
        for (int trial = 0; trial < 5; trial++) {
            int b = 2 + r.nextInt(4);
            double[][] s = TestSupport.gaussian(r, b, D, 0.5 + trial);
            // Correlated rows give cosines far from 0, where the kernel's distributions are far from uniform.
            double[][] t = TestSupport.gaussian(r, b, D, 1);
            for (int i = 1; i < b; i++) {
                for (int k = 0; k < D; k++) {
                    t[i][k] += (trial % 2 == 0 ? 1 : -1) * 2 * t[0][k];
                    s[i][k] -= s[0][k];
                }
            }
            double[][] grad = PKT.compute(embeddings(s, t)).dStudentEmbedding();
            TestSupport.checkGradient("pkt trial " + trial, s, grad, x -> PKT.compute(embeddings(x, t)).value());
        }
    }

    @Test
    void oppositeAndZeroRowsStayFinite() {
        Random r = new Random(4);
        double[][] s = TestSupport.gaussian(r, 3, D, 1);
        for (int k = 0; k < D; k++) {
            s[1][k] = -s[0][k];
            s[2][k] = 0;
        }
        LossValue v = PKT.compute(embeddings(s, TestSupport.gaussian(r, 3, D, 1)));
        assertTrue(Double.isFinite(v.value()) && v.value() > 0, "value " + v.value());
        TestSupport.assertAllFinite("pkt dStudentEmbedding", v.dStudentEmbedding());
        assertEquals(0, TestSupport.maxAbs(new double[][] {v.dStudentEmbedding()[2]}), "no direction, no gradient");
    }

    @Test
    void describesItselfAndLeavesTheTeacherAlone() {
        assertEquals("pkt", PKT.name());
        assertEquals(Map.of("kernel", "cosine", "kernelEps", 1e-7, "embeddingDim", 128), PKT.config());
        assertTrue(PKT.needsTeacher());
        assertEquals(128, PKT.embeddingDim());
        LossValue v = PKT.compute(embeddings(TestSupport.gaussian(new Random(2), 3, D, 1),
                TestSupport.gaussian(new Random(3), 3, D, 1)));
        assertNull(v.dTeacherEmbedding());
        assertNull(v.dStudentLogits());
        assertEquals(Map.of("pkt", v.value()), v.parts());
    }

    @Test
    void rejectsMisshapenOrNonFiniteEmbeddings() {
        double[][] ok = TestSupport.gaussian(new Random(5), 2, D, 1);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> PKT.compute(embeddings(ok, new double[2][127])));
        assertTrue(shape.getMessage().contains("teacherEmbedding row 0 has 127 columns, expected 128"),
                shape.getMessage());
        double[][] inf = TestSupport.copy(ok);
        inf[0][0] = Double.POSITIVE_INFINITY;
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PKT.compute(embeddings(ok, inf)));
        assertTrue(bad.getMessage().contains("teacherEmbedding[0][0] is not finite"), bad.getMessage());
    }
}
