package dev.mvkt.losses;

import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Random;

import static dev.mvkt.losses.TestSupport.assertAllFinite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class MkdLossTest {

    private static LossInputs inputs(double[][] student, double[][] teacher) {
        return TestSupport.logits(student, teacher);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** The paper's formula written out literally (softmax over [p/T, (1−p)/T]), valid at moderate logits. */
    private static double naivePaper(double[][] zs, double[][] zt, double t) {
        double sum = 0;
        for (int i = 0; i < zs.length; i++) {
            for (int k = 0; k < zs[i].length; k++) {
                double[] qs = softmax2(sigmoid(zs[i][k]) / t, (1 - sigmoid(zs[i][k])) / t);
                double[] qt = softmax2(sigmoid(zt[i][k]) / t, (1 - sigmoid(zt[i][k])) / t);
                sum += qt[0] * Math.log(qt[0] / qs[0]) + qt[1] * Math.log(qt[1] / qs[1]);
            }
        }
        return t * t * sum / zs.length;
    }

    private static double[] softmax2(double a, double b) {
        double ea = Math.exp(a);
        double eb = Math.exp(b);
        return new double[] {ea / (ea + eb), eb / (ea + eb)};
    }

    /** The public code's formula written out literally: KLDivLoss(log(v_S + 1e-8), v_T + 1e-8), mean over B×2. */
    private static double naiveCode(double[][] zs, double[][] zt, double t) {
        double total = 0;
        int b = zs.length;
        for (int k = 0; k < zs[0].length; k++) {
            double perClass = 0;
            for (int i = 0; i < b; i++) {
                double[] vs = {sigmoid(zs[i][k]) / t, (1 - sigmoid(zs[i][k])) / t};
                double[] vt = {sigmoid(zt[i][k]) / t, (1 - sigmoid(zt[i][k])) / t};
                for (int j = 0; j < 2; j++) {
                    double target = vt[j] + 1e-8;
                    perClass += target * (Math.log(target) - Math.log(vs[j] + 1e-8));
                }
            }
            total += perClass / (2.0 * b);
        }
        return total;
    }

    @Test
    void paperFormMatchesTheLiteralFormula() {
        qt().forAll(longs().all(), integers().between(1, 5), integers().between(1, 6), doubles().between(0.5, 4))
                .check((seed, b, c, t) -> {
                    Random r = new Random(seed);
                    double[][] zs = TestSupport.gaussian(r, b, c, 3);
                    double[][] zt = TestSupport.gaussian(r, b, c, 3);
                    double v = Losses.mkd(t).compute(inputs(zs, zt)).value();
                    double expected = naivePaper(zs, zt, t);
                    return Math.abs(v - expected) <= 1e-10 + 1e-9 * expected;
                });
    }

    @Test
    void officialCodeFormMatchesTheLiteralFormula() {
        qt().forAll(longs().all(), integers().between(1, 5), integers().between(1, 6), doubles().between(0.5, 4))
                .check((seed, b, c, t) -> {
                    Random r = new Random(seed);
                    double[][] zs = TestSupport.gaussian(r, b, c, 3);
                    double[][] zt = TestSupport.gaussian(r, b, c, 3);
                    double v = Losses.mkd(t, MkdForm.OFFICIAL_CODE).compute(inputs(zs, zt)).value();
                    double expected = naiveCode(zs, zt, t);
                    return Math.abs(v - expected) <= 1e-10 + 1e-9 * expected;
                });
    }

    @ParameterizedTest
    @EnumSource(MkdForm.class)
    void isNonNegative(MkdForm form) {
        qt().forAll(longs().all(), integers().between(1, 5), integers().between(1, 6), doubles().between(0.3, 5))
                .check((seed, b, c, t) -> {
                    Random r = new Random(seed);
                    double[][] zs = TestSupport.gaussian(r, b, c, 15);
                    double[][] zt = r.nextBoolean() ? TestSupport.gaussian(r, b, c, 15) : TestSupport.copy(zs);
                    // Near-equal logits are where rounding could push a KL below zero.
                    if (r.nextBoolean()) {
                        zt[0][0] = zs[0][0] + 1e-12;
                    }
                    double v = Losses.mkd(t, form).compute(inputs(zs, zt)).value();
                    return v >= 0 && Double.isFinite(v);
                });
    }

    @ParameterizedTest
    @EnumSource(MkdForm.class)
    void isZeroWithZeroGradientWhenStudentEqualsTeacher(MkdForm form) {
        qt().forAll(longs().all(), integers().between(1, 5), integers().between(1, 6)).check((seed, b, c) -> {
            Random r = new Random(seed);
            double[][] z = TestSupport.gaussian(r, b, c, 20);
            LossValue v = Losses.mkd(form).compute(inputs(z, TestSupport.copy(z)));
            for (double[] g : v.dStudentLogits()) {
                for (double x : g) {
                    if (x != 0) {
                        return false;
                    }
                }
            }
            return v.value() == 0;
        });
    }

    @ParameterizedTest
    @EnumSource(MkdForm.class)
    void isInvariantToPermutingRowsAndClassesConsistently(MkdForm form) {
        LossTerm mkd = Losses.mkd(form);
        qt().forAll(longs().all(), integers().between(1, 6), integers().between(1, 6))
                .check((seed, b, c) -> TestSupport.permutesWithRowsAndClasses(mkd, seed, b, c));
    }

    @ParameterizedTest
    @EnumSource(MkdForm.class)
    void gradientMatchesFiniteDifferences(MkdForm form) {
        Random r = new Random(5);
        for (double t : new double[] {1.0, 1.5, 3.0}) {
            for (int trial = 0; trial < 3; trial++) {
                int b = 1 + r.nextInt(4);
                int c = 1 + r.nextInt(5);
                double[][] zs = TestSupport.gaussian(r, b, c, 2);
                double[][] zt = TestSupport.gaussian(r, b, c, 2);
                LossTerm mkd = Losses.mkd(t, form);
                double[][] grad = mkd.compute(inputs(zs, zt)).dStudentLogits();
                TestSupport.checkGradient("mkd " + form + " T=" + t, zs, grad,
                        x -> mkd.compute(inputs(x, zt)).value());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MkdForm.class)
    void staysFiniteAtExtremeLogits(MkdForm form) {
        double[][] zs = {{100, -100, 100, -100, 0}, {1e4, -1e4, 37, -745, 100}};
        double[][] zt = {{100, -100, -100, 100, -100}, {-1e4, 1e4, -37, 745, 0}};
        for (double t : new double[] {0.1, 1, 1.5, 10}) {
            LossValue v = Losses.mkd(t, form).compute(inputs(zs, zt));
            assertTrue(Double.isFinite(v.value()), form + " T=" + t + " value " + v.value());
            assertTrue(v.value() > 0, "opposite saturated logits must give a positive loss");
            assertAllFinite(form + " dStudentLogits", v.dStudentLogits());
        }
    }

    @Test
    void paperFormAtOppositeSaturationIsTheClosedFormKl() {
        double t = 1.5;
        double[][] zs = {{100}};
        double[][] zt = {{-100}};
        // a_S = 1/T, a_T = −1/T: KL(q_T ‖ q_S) of [σ(−1/T), σ(1/T)] against [σ(1/T), σ(−1/T)].
        double a = 1 / t;
        double qt0 = sigmoid(-a);
        double qt1 = sigmoid(a);
        double kl = qt0 * Math.log(qt0 / qt1) + qt1 * Math.log(qt1 / qt0);
        assertEquals(t * t * kl, Losses.mkd().compute(inputs(zs, zt)).value(), 1e-12);
    }

    @Test
    void defaultsAreThePapersAndTheCodes() {
        MkdLoss paper = (MkdLoss) Losses.mkd();
        assertEquals(MkdForm.PAPER, paper.form());
        assertEquals(1.5, paper.temperature());
        MkdLoss code = (MkdLoss) Losses.mkd(MkdForm.OFFICIAL_CODE);
        assertEquals(1.0, code.temperature());
        assertEquals(Map.of("form", "OFFICIAL_CODE", "temperature", 1.0), code.config());
        assertEquals(Map.of("form", "PAPER", "temperature", 2.0), Losses.mkd(2.0).config());
        assertEquals("mkd", paper.name());
        assertTrue(paper.needsTeacher());
    }

    @Test
    void givesNoGradientToAnythingButStudentLogits() {
        LossValue v = Losses.mkd().compute(inputs(new double[][] {{1, 2}}, new double[][] {{0, 3}}));
        assertNull(v.dStudentEmbedding());
        assertNull(v.dTeacherEmbedding());
        assertEquals(Map.of("mkd", v.value()), v.parts());
    }

    @Test
    void rejectsMissingTeacherAndBadTemperature() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.mkd().compute(LossInputs.of(new double[][] {{1}}, new double[][] {{1}})));
        assertTrue(e.getMessage().contains("teacherLogits"), e.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Losses.mkd(-0.5));
        assertTrue(t.getMessage().contains("-0.5"), t.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> Losses.mkd(Double.NaN));
        assertTrue(n.getMessage().contains("NaN"), n.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Losses.mkd().compute(inputs(new double[][] {{1, 2}}, new double[][] {{1}})));
        assertTrue(shape.getMessage().contains("teacherLogits"), shape.getMessage());
    }
}
