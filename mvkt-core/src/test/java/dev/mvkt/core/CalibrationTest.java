package dev.mvkt.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** Temperature scaling's fit and the expected calibration error, on plain arrays. */
class CalibrationTest {

    /** Logits z ~ N(0, 3²) whose labels are drawn from sigmoid(z / tStar): the fit should find tStar. */
    private static boolean[] labelsAt(double[] z, double tStar, Random r) {
        boolean[] y = new boolean[z.length];
        for (int i = 0; i < z.length; i++) {
            y[i] = r.nextDouble() < TemperatureScaling.sigmoid(z[i] / tStar);
        }
        return y;
    }

    private static double[] logits(int n, double sd, Random r) {
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = sd * r.nextGaussian();
        }
        return z;
    }

    @Test
    void theFitRecoversAKnownTemperature() {
        for (double tStar : new double[]{2.5, 0.5, 1.0}) {
            Random r = new Random(42);
            double[] z = logits(20_000, 3, r);
            boolean[] y = labelsAt(z, tStar, r);
            double t = TemperatureScaling.fit(z, y);
            assertEquals(tStar, t, 0.06 * tStar, "T* = " + tStar);
        }
    }

    @Test
    void theFitIsTheMinimumOfTheValidationNll() {
        Random r = new Random(5);
        double[] z = logits(500, 4, r);
        boolean[] y = labelsAt(z, 2.5, r);
        double t = TemperatureScaling.fit(z, y);
        double best = TemperatureScaling.nll(z, y, t);
        for (double f : new double[]{0.9, 0.99, 1.01, 1.1}) {
            assertTrue(best <= TemperatureScaling.nll(z, y, t * f), "T = " + t + " vs " + t * f);
        }
    }

    @Test
    void theFitNeverIncreasesTheValidationNll() {
        qt().forAll(lists().of(doubles().between(-30, 30)).ofSizeBetween(1, 60), integers().between(0, 10_000))
                .check((zs, seed) -> {
                    Random r = new Random(seed);
                    double[] z = zs.stream().mapToDouble(Double::doubleValue).toArray();
                    boolean[] y = new boolean[z.length];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = r.nextBoolean();
                    }
                    double t = TemperatureScaling.fit(z, y);
                    return Calibration.valid(t)
                            && TemperatureScaling.nll(z, y, t) <= TemperatureScaling.nll(z, y, 1);
                });
    }

    @Test
    void degenerateAndSeparableClassesStayInTheRange() {
        double[] z = {-2, -1, 1, 2};
        // One label value only: no minimum, T stays 1.
        assertEquals(1.0, TemperatureScaling.fit(z, new boolean[]{true, true, true, true}));
        assertEquals(1.0, TemperatureScaling.fit(z, new boolean[]{false, false, false, false}));
        // Perfectly separated: the likelihood grows as T shrinks, so the fit stops at the bound.
        assertEquals(Calibration.MIN_TEMPERATURE, TemperatureScaling.fit(z, new boolean[]{false, false, true, true}),
                1e-12);
        // Ranked exactly backwards: the best is the flattest allowed.
        assertEquals(Calibration.MAX_TEMPERATURE, TemperatureScaling.fit(z, new boolean[]{true, true, false, false}),
                1e-12);
    }

    @Test
    void perClassFitAndNone() {
        Random r = new Random(9);
        int n = 4000;
        double[][] z = new double[n][2];
        double[][] y = new double[n][2];
        for (int i = 0; i < n; i++) {
            z[i][0] = 3 * r.nextGaussian();
            z[i][1] = 3 * r.nextGaussian();
            y[i][0] = r.nextDouble() < TemperatureScaling.sigmoid(z[i][0] / 2.5) ? 1 : 0;
            y[i][1] = r.nextDouble() < TemperatureScaling.sigmoid(z[i][1] / 0.7) ? 1 : 0;
        }
        double[] t = Calibration.TEMPERATURE.fit(z, y, 2);
        assertEquals(2.5, t[0], 0.25);
        assertEquals(0.7, t[1], 0.07);
        assertArrayEquals(new double[]{1, 1}, Calibration.NONE.fit(z, y, 2));
        assertTrue(Calibration.nll(z, y, t) < Calibration.nll(z, y, Calibration.identity(2)));
    }

    /**
     * Worked by hand: class 0 has p = 0.05, 0.05 (labels 0, 1) in bin 0 and 0.9 (label 1) in bin 13; class 1 has
     * p = 0.5, 0.5 (labels 1, 1) in bin 7 and 0.98 (label 0) in bin 14.
     */
    @Test
    void eceOfAHandWorkedExample() {
        double[][] p = {{0.05, 0.5}, {0.05, 0.5}, {0.9, 0.98}};
        float[][] y = {{0, 1}, {1, 1}, {1, 0}};
        // Class 0: bin 0 |0.5 − 0.05| · 2/3 + bin 13 |1 − 0.9| · 1/3 = 0.3 + 0.0333… = 0.3333…
        assertEquals(0.45 * 2 / 3 + 0.1 / 3, CalibrationError.ece(p, y, 0), 1e-12);
        // Class 1: bin 7 |1 − 0.5| · 2/3 + bin 14 |0 − 0.98| · 1/3 = 0.3333… + 0.3266… = 0.66
        assertEquals(0.5 * 2 / 3 + 0.98 / 3, CalibrationError.ece(p, y, 1), 1e-12);
        // All six pairs: bins 0 (2), 7 (2), 13 (1), 14 (1): (0.9 + 1.0 + 0.1 + 0.98) / 6
        assertEquals((0.45 * 2 + 0.5 * 2 + 0.1 + 0.98) / 6, CalibrationError.ece(p, y), 1e-12);
        List<CalibrationError.Bin> bins = CalibrationError.bins(p, y, -1);
        assertEquals(CalibrationError.BINS, bins.size());
        assertEquals(2, bins.get(0).count());
        assertEquals(0.5, bins.get(0).positiveRate(), 1e-12);
        assertEquals(0.05, bins.get(0).meanProbability(), 1e-12);
        assertEquals(2, bins.get(7).count());
        assertEquals(1, bins.get(14).count());
        assertEquals(0, bins.get(3).count());
        assertTrue(Double.isNaN(bins.get(3).meanProbability()));
        // A perfectly calibrated bin has no error; probability 1 falls into the last bin.
        assertEquals(0, CalibrationError.ece(new double[][]{{1.0}, {0.0}}, new float[][]{{1}, {0}}), 1e-12);
        assertTrue(Double.isNaN(CalibrationError.ece(new double[0][], new float[0][])));
    }

    @Test
    void eceRefusesBadInputNamingIt() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationError.ece(new double[][]{{1.5}}, new float[][]{{1}}));
        assertTrue(e.getMessage().contains("[0][0]") && e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CalibrationError.ece(new double[][]{{0.5}}, new float[][]{{1}, {0}}));
        assertThrows(IllegalArgumentException.class,
                () -> CalibrationError.ece(new double[][]{{0.5}}, new float[][]{{1}}, 1));
    }

    /**
     * A positive temperature is increasing, so each class ranks records as before and its AUC is unchanged. Logits
     * lie on a 0.01 grid in [−3, 3], so that distinct logits stay distinct doubles after any temperature of the
     * range (beyond a logit of about 37 the sigmoid rounds to exactly 1 and would tie them).
     */
    @Test
    void calibrationPreservesEachClassesRankingAndAuc() {
        qt().forAll(lists().of(integers().between(-300, 300)).ofSizeBetween(2, 40),
                        doubles().between(Calibration.MIN_TEMPERATURE, Calibration.MAX_TEMPERATURE),
                        integers().between(0, 10_000))
                .check((zs, t, seed) -> {
                    Random r = new Random(seed);
                    int n = zs.size();
                    double[][] z = new double[n][1];
                    boolean[] y = new boolean[n];
                    double[] raw = new double[n];
                    for (int i = 0; i < n; i++) {
                        z[i][0] = zs.get(i) / 100.0;
                        y[i] = r.nextBoolean();
                        raw[i] = TemperatureScaling.sigmoid(z[i][0]);
                    }
                    double[][] cal = Calibration.probabilities(z, new double[]{t});
                    double[] c = new double[n];
                    for (int i = 0; i < n; i++) {
                        c[i] = cal[i][0];
                    }
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            if (Double.compare(z[i][0], z[j][0]) != Double.compare(c[i], c[j])) {
                                return false;
                            }
                        }
                    }
                    double a = Metrics.auc(raw, y);
                    double b = Metrics.auc(c, y);
                    return Double.isNaN(a) ? Double.isNaN(b) : a == b;
                });
    }
}
