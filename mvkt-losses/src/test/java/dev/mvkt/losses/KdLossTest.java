package dev.mvkt.losses;

import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;
import org.junit.jupiter.api.Test;

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

class KdLossTest {

    private static LossInputs inputs(double[][] student, double[][] teacher) {
        return TestSupport.logits(student, teacher);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Hinton's KD per class, written out literally: T² · KL(Bernoulli(σ(z_T/T)) ‖ Bernoulli(σ(z_S/T))), batch mean. */
    private static double naive(double[][] zs, double[][] zt, double t) {
        double sum = 0;
        for (int i = 0; i < zs.length; i++) {
            for (int k = 0; k < zs[i].length; k++) {
                double qs = sigmoid(zs[i][k] / t);
                double qt = sigmoid(zt[i][k] / t);
                sum += qt * Math.log(qt / qs) + (1 - qt) * Math.log((1 - qt) / (1 - qs));
            }
        }
        return t * t * sum / zs.length;
    }

    @Test
    void matchesTheLiteralFormula() {
        qt().forAll(longs().all(), integers().between(1, 5), integers().between(1, 6), doubles().between(0.5, 8))
                .check((seed, b, c, t) -> {
                    Random r = new Random(seed);
                    double[][] zs = TestSupport.gaussian(r, b, c, 3);
                    double[][] zt = TestSupport.gaussian(r, b, c, 3);
                    double v = Losses.kd(t).compute(inputs(zs, zt)).value();
                    double expected = naive(zs, zt, t);
                    return Math.abs(v - expected) <= 1e-10 + 1e-9 * expected;
                });
    }

    @Test
    void isNonNegativeAndFinite() {
        qt().forAll(longs().all(), integers().between(1, 5), integers().between(1, 6), doubles().between(0.3, 10))
                .check((seed, b, c, t) -> {
                    Random r = new Random(seed);
                    double[][] zs = TestSupport.gaussian(r, b, c, 15);
                    double[][] zt = r.nextBoolean() ? TestSupport.gaussian(r, b, c, 15) : TestSupport.copy(zs);
                    if (r.nextBoolean()) {
                        zt[0][0] = zs[0][0] + 1e-12;
                    }
                    double v = Losses.kd(t).compute(inputs(zs, zt)).value();
                    return v >= 0 && Double.isFinite(v);
                });
    }

    @Test
    void isZeroWithZeroGradientWhenStudentEqualsTeacher() {
        qt().forAll(longs().all(), integers().between(1, 5), integers().between(1, 6), doubles().between(0.3, 10))
                .check((seed, b, c, t) -> {
                    double[][] z = TestSupport.gaussian(new Random(seed), b, c, 20);
                    LossValue v = Losses.kd(t).compute(inputs(z, TestSupport.copy(z)));
                    return v.value() == 0 && TestSupport.maxAbs(v.dStudentLogits()) == 0;
                });
    }

    @Test
    void isInvariantToPermutingRowsAndClassesConsistently() {
        LossTerm kd = Losses.kd();
        qt().forAll(longs().all(), integers().between(1, 6), integers().between(1, 6))
                .check((seed, b, c) -> TestSupport.permutesWithRowsAndClasses(kd, seed, b, c));
    }

    /** At T = 1 KD is twice MKD's official-code form (which only divides by T, without softening). */
    @Test
    void atTemperatureOneIsTwiceMkdsCodeForm() {
        qt().forAll(longs().all(), integers().between(1, 5), integers().between(1, 6)).check((seed, b, c) -> {
            Random r = new Random(seed);
            double[][] zs = TestSupport.gaussian(r, b, c, 1.5);
            double[][] zt = TestSupport.gaussian(r, b, c, 1.5);
            double kd = Losses.kd(1.0).compute(inputs(zs, zt)).value();
            double code = Losses.mkd(1.0, MkdForm.OFFICIAL_CODE).compute(inputs(zs, zt)).value();
            // The code form's ε = 1e-8 inside the logarithms is the only difference: about ε/p per entry.
            return Math.abs(kd - 2 * code) <= 1e-5 * kd + 1e-6 * b * c;
        });
    }

    /**
     * Away from T = 1 no MKD form is KD, nor a constant multiple of it: the temperature softens the logit, not the
     * probability, so the ratio of KD to either MKD form changes from one input to the next.
     */
    @Test
    void isNotProportionalToEitherMkdFormAtItsDefaultTemperature() {
        double t = KdLoss.DEFAULT_TEMPERATURE;
        double[][][] students = {{{2.0, -1.0, 0.5}, {-3.0, 4.0, 0.0}}, {{8.0, -6.0, 0.1}, {0.2, 9.0, -7.0}}};
        double[][][] teachers = {{{-1.0, 2.0, 3.0}, {1.0, -2.0, 5.0}}, {{-8.0, 7.0, 0.3}, {0.1, -9.0, 6.0}}};
        double[] toPaper = new double[2];
        double[] toCode = new double[2];
        for (int n = 0; n < 2; n++) {
            LossInputs in = inputs(students[n], teachers[n]);
            double kd = Losses.kd().compute(in).value();
            assertEquals(naive(students[n], teachers[n], t), kd, 1e-12 * kd);
            toPaper[n] = kd / Losses.mkd(t, MkdForm.PAPER).compute(in).value();
            toCode[n] = kd / Losses.mkd(t, MkdForm.OFFICIAL_CODE).compute(in).value();
        }
        assertTrue(Math.abs(toPaper[0] / toPaper[1] - 1) > 0.1, "KD / MKD paper: " + toPaper[0] + ", " + toPaper[1]);
        assertTrue(Math.abs(toCode[0] / toCode[1] - 1) > 0.1, "KD / MKD code: " + toCode[0] + ", " + toCode[1]);
    }

    /** Hinton's limit: at high temperature KD is logit matching, 1/(8B)·Σ (z_S − z_T)². */
    @Test
    void becomesLogitMatchingAtHighTemperature() {
        qt().forAll(longs().all(), integers().between(1, 5), integers().between(1, 6)).check((seed, b, c) -> {
            Random r = new Random(seed);
            double[][] zs = TestSupport.gaussian(r, b, c, 3);
            double[][] zt = TestSupport.gaussian(r, b, c, 3);
            double matching = 0;
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < c; k++) {
                    matching += Math.pow(zs[i][k] - zt[i][k], 2);
                }
            }
            matching /= 8.0 * b;
            double kd = Losses.kd(1e3).compute(inputs(zs, zt)).value();
            return Math.abs(kd - matching) <= 1e-3 * matching + 1e-12;
        });
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(11);
        for (double t : new double[] {0.5, 1.0, 4.0}) {
            for (int trial = 0; trial < 3; trial++) {
                int b = 1 + r.nextInt(4);
                int c = 1 + r.nextInt(5);
                double[][] zs = TestSupport.gaussian(r, b, c, 3);
                double[][] zt = TestSupport.gaussian(r, b, c, 3);
                LossTerm kd = Losses.kd(t);
                double[][] grad = kd.compute(inputs(zs, zt)).dStudentLogits();
                TestSupport.checkGradient("kd T=" + t, zs, grad, x -> kd.compute(inputs(x, zt)).value());
            }
        }
    }

    @Test
    void staysFiniteAtExtremeLogits() {
        double[][] zs = {{100, -100, 100, -100, 0}, {1e4, -1e4, 37, -745, 100}};
        double[][] zt = {{100, -100, -100, 100, -100}, {-1e4, 1e4, -37, 745, 0}};
        for (double t : new double[] {0.1, 1, 4, 10}) {
            LossValue v = Losses.kd(t).compute(inputs(zs, zt));
            assertTrue(Double.isFinite(v.value()) && v.value() > 0, "T=" + t + " value " + v.value());
            assertAllFinite("kd dStudentLogits", v.dStudentLogits());
        }
    }

    @Test
    void describesItselfAndGivesNoOtherGradient() {
        KdLoss kd = (KdLoss) Losses.kd();
        assertEquals(4.0, kd.temperature());
        assertEquals("kd", kd.name());
        assertEquals(Map.of("temperature", 2.0), Losses.kd(2.0).config());
        assertTrue(kd.needsTeacher());
        assertEquals(0, kd.embeddingDim());
        LossValue v = kd.compute(inputs(new double[][] {{1, 2}}, new double[][] {{0, 3}}));
        assertNull(v.dStudentEmbedding());
        assertNull(v.dTeacherEmbedding());
        assertEquals(Map.of("kd", v.value()), v.parts());
        assertEquals("bce + 0.5·kd", Losses.bce().plus(Losses.kd().weight(0.5)).name());
    }

    @Test
    void rejectsMissingTeacherAndBadTemperature() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.kd().compute(LossInputs.of(new double[][] {{1}}, new double[][] {{1}})));
        assertTrue(e.getMessage().contains("teacherLogits"), e.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Losses.kd(0));
        assertTrue(t.getMessage().contains("KD temperature") && t.getMessage().contains("0.0"), t.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> Losses.kd(Double.POSITIVE_INFINITY));
        assertTrue(inf.getMessage().contains("Infinity"), inf.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Losses.kd().compute(inputs(new double[][] {{1, 2}}, new double[][] {{1}})));
        assertTrue(shape.getMessage().contains("teacherLogits"), shape.getMessage());
    }
}
