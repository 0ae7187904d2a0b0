package dev.mvkt.datasets;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class WaveletTest {
    private static final PywtFixtures PYWT = PywtFixtures.load();
    private static final double FS = 500;

    /** |a - b| within {@code tol} times the larger of 1 and |b|. */
    private static void near(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)),
                what + ": pywt " + expected + ", mvkt " + actual + ", difference " + (actual - expected));
    }

    @Test
    void db6FiltersArePywtsAndOrthonormalWithSixVanishingMoments() {
        assertArrayEquals(PYWT.header.get("declo"), Wavelet.DB6.decLo(), 0);
        assertArrayEquals(PYWT.header.get("dechi"), Wavelet.DB6.decHi(), 0);
        // Hand-derivable properties that do not rely on pywt.
        double[] h = Wavelet.DB6.decLo();
        double[] g = Wavelet.DB6.decHi();
        assertEquals(12, h.length);
        assertEquals(Math.sqrt(2), Arrays.stream(h).sum(), 1e-15, "low pass sums to sqrt(2)");
        for (int shift = 0; shift < 6; shift++) {
            double hh = 0;
            double gg = 0;
            double hg = 0;
            for (int k = 0; k + 2 * shift < 12; k++) {
                hh += h[k] * h[k + 2 * shift];
                gg += g[k] * g[k + 2 * shift];
                hg += h[k] * g[k + 2 * shift];
            }
            assertEquals(shift == 0 ? 1 : 0, hh, 1e-15, "low pass orthonormal to shifts by " + 2 * shift);
            assertEquals(shift == 0 ? 1 : 0, gg, 1e-15, "high pass orthonormal to shifts by " + 2 * shift);
            assertEquals(0, hg, 1e-15, "low and high pass orthogonal at shift " + 2 * shift);
        }
        for (int p = 0; p < 6; p++) {
            double m = 0;
            for (int j = 0; j < 12; j++) {
                m += Math.pow(j, p) * g[j];
            }
            assertEquals(0, m, 1e-9 * Math.pow(11, p), "high pass vanishing moment " + p);
        }
    }

    @Test
    void wavedecMatchesPywtCoefficientsForAllFixtureLengths() {
        for (PywtFixtures.Case c : PYWT.cases) {
            double[] x = PywtFixtures.input(c.n(), c.seed());
            double[][] coeffs = Wavelet.DB6.wavedec(x, 9);
            int[] lengths = Arrays.stream(coeffs).mapToInt(a -> a.length).toArray();
            assertArrayEquals(c.ints("lengths"), lengths, c.name() + " coefficient lengths");
            assertArrayEquals(c.ints("lengths"), Wavelet.DB6.coefficientLengths(c.n(), 9), c.name());
            for (int k = 0; k < coeffs.length; k++) {
                double[] e = c.get("coef" + k);
                double[] a = coeffs[k];
                int m = a.length;
                double[] got = {a[0], a[1], a[2], a[m - 3], a[m - 2], a[m - 1], Arrays.stream(a).sum(),
                        Arrays.stream(a).map(v -> v * v).sum()};
                String[] names = {"[0]", "[1]", "[2]", "[-3]", "[-2]", "[-1]", " sum", " sum of squares"};
                // Scale of the values: cA9 grows as sqrt(2)^9; details of these inputs are of order 1.
                double scale = Math.max(1, Math.abs(e[6]) / m);
                for (int i = 0; i < 8; i++) {
                    double tol = i == 7 ? 1e-11 * Math.max(1, e[7]) : i == 6 ? 1e-11 * m * scale : 1e-12 * scale;
                    assertTrue(Math.abs(e[i] - got[i]) <= tol, c.name() + " coefficient array " + k + names[i]
                            + ": pywt " + e[i] + ", mvkt " + got[i]);
                }
            }
        }
    }

    @Test
    void waverecReconstructsLikePywtIncludingTheExtraSampleOfOddLengths() {
        for (PywtFixtures.Case c : PYWT.cases) {
            double[] x = PywtFixtures.input(c.n(), c.seed());
            double[] rec = Wavelet.DB6.waverec(Wavelet.DB6.wavedec(x, 9));
            assertEquals((int) c.get("reclen")[0], rec.length, c.name() + " reconstruction length");
            assertEquals(c.n() % 2 == 0 ? c.n() : c.n() + 1, rec.length, c.name());
            for (int i = 0; i < c.n(); i++) {
                assertEquals(x[i], rec[i], 1e-12, c.name() + " sample " + i);
            }
        }
    }

    @Test
    void denoiseMatchesPywtToRoundingForAllFixtureLengths() {
        int checked = 0;
        for (PywtFixtures.Case c : PYWT.cases) {
            double[] x = PywtFixtures.input(c.n(), c.seed());
            double[] y = Wavelet.denoise(x);
            assertEquals(c.n(), y.length, c.name() + ": truncated to the input length");
            int[] idx = c.ints("idx");
            double[] den = c.get("den");
            for (int i = 0; i < idx.length; i++) {
                near(den[i], y[idx[i]], 1e-12, c.name() + " denoised sample " + idx[i]);
                checked++;
            }
            double[] sums = c.get("densum");
            double s = 0;
            double sq = 0;
            double w = 0;
            for (int i = 0; i < y.length; i++) {
                s += y[i];
                sq += y[i] * y[i];
                w += (i + 1.0) * y[i];
            }
            // Sums over every sample: a wrong value anywhere would show here.
            near(sums[0], s, 1e-10 * c.n(), c.name() + " sum");
            near(sums[1], sq, 1e-10, c.name() + " sum of squares");
            near(sums[2], w, 1e-10 * c.n() * c.n(), c.name() + " index-weighted sum");
        }
        assertTrue(checked > 2500, "compared " + checked + " samples");
    }

    @Test
    void floatDenoiseAgreesWithThePapersFloat32PywtToFloatRounding() {
        for (PywtFixtures.Case c : PYWT.cases) {
            if (!c.values().containsKey("den32")) {
                continue;
            }
            double[] x = PywtFixtures.input(c.n(), c.seed());
            float[] xf = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                xf[i] = (float) x[i];
                assertEquals(x[i], xf[i], 0, "fixture input exact in float32");
            }
            float[] y = Wavelet.denoise(xf);
            int[] idx = c.ints("idx");
            double[] den32 = c.get("den32");
            double worst = 0;
            for (int i = 0; i < idx.length; i++) {
                worst = Math.max(worst, Math.abs(den32[i] - y[idx[i]]));
            }
            // Inputs of 2-4 mV: the paper's float32 arithmetic and mvkt's double arithmetic rounded once to float
            // differ by float32 rounding (about 1.5e-6 mV here), far below anything an ECG model sees.
            assertTrue(worst < 1e-5, c.name() + ": max difference " + worst + " mV from pywt float32");
        }
    }

    @Test
    void perfectReconstructionWithoutZeroingForAnyLengthAndLevel() {
        qt().withExamples(60).forAll(integers().between(1, 3000), integers().between(0, 11), longs().all())
                .checkAssert((n, level, seed) -> {
                    double[] x = noise(n, seed);
                    double[][] c = Wavelet.DB6.wavedec(x, level);
                    assertArrayEquals(Wavelet.DB6.coefficientLengths(n, level),
                            Arrays.stream(c).mapToInt(a -> a.length).toArray());
                    double[] rec = Wavelet.DB6.waverec(c);
                    assertTrue(rec.length == n || rec.length == n + 1, "length " + rec.length + " for " + n);
                    for (int i = 0; i < n; i++) {
                        assertEquals(x[i], rec[i], 1e-10, "n=" + n + " level=" + level + " sample " + i);
                    }
                });
    }

    @Test
    void denoiseIsLinear() {
        qt().withExamples(40).forAll(integers().between(1, 2500), doubles().between(-5, 5),
                doubles().between(-5, 5), longs().all()).checkAssert((n, a, b, seed) -> {
                    double[] x = noise(n, seed);
                    double[] y = noise(n, seed ^ 0x5DEECE66DL);
                    double[] mix = new double[n];
                    for (int i = 0; i < n; i++) {
                        mix[i] = a * x[i] + b * y[i];
                    }
                    double[] dx = Wavelet.denoise(x);
                    double[] dy = Wavelet.denoise(y);
                    double[] dm = Wavelet.denoise(mix);
                    for (int i = 0; i < n; i++) {
                        assertEquals(a * dx[i] + b * dy[i], dm[i], 1e-10, "n=" + n + " sample " + i);
                    }
                });
    }

    @Test
    void denoiseRemovesOffsetAndBaselineWanderAndKeepsTheMidBand() {
        for (int n : new int[] {3000, 5000, 10000}) {
            double[] offset = new double[n];
            Arrays.fill(offset, 3.0);
            double[] y = Wavelet.denoise(offset);
            for (double v : y) {
                assertEquals(0, v, 1e-12, "a constant lies wholly in cA9 (n=" + n + ")");
            }
            double[] wander = sine(n, 0.1, 1);
            assertTrue(rms(Wavelet.denoise(wander)) < 0.03 * rms(wander), "0.1 Hz baseline wander removed, n=" + n);
            double[] mid = sine(n, 10, 1);
            double[] err = minus(Wavelet.denoise(mid), mid);
            assertTrue(rms(err) < 0.1 * rms(mid), "10 Hz kept, n=" + n + ": relative error " + rms(err) / rms(mid));
            double[] inner = Arrays.copyOfRange(err, 500, n - 500);
            assertTrue(rms(inner) < 0.04 * rms(mid), "10 Hz kept away from the edges, n=" + n);
        }
    }

    @Test
    void denoiseRemovesHighFrequencyNoise() {
        int n = 10000;
        for (double f : new double[] {150, 200, 250}) {
            double[] hf = f == 250 ? alternating(n) : sine(n, f, 1);
            double ratio = rms(Wavelet.denoise(hf)) / rms(hf);
            assertTrue(ratio < 0.05, f + " Hz (cD1) kept " + ratio + " of its rms");
        }
        // A mix as in a real lead: 1 mV at 10 Hz, 2 mV offset, 0.5 mV wander at 0.1 Hz, 0.3 mV at 180 Hz.
        double[] clean = sine(n, 10, 1);
        double[] mix = clean.clone();
        double[] wander = sine(n, 0.1, 0.5);
        double[] buzz = sine(n, 180, 0.3);
        for (int i = 0; i < n; i++) {
            mix[i] += 2 + wander[i] + buzz[i];
        }
        double before = rms(minus(mix, clean));
        double after = rms(minus(Wavelet.denoise(mix), clean));
        assertTrue(after < 0.05 * before, "distance to the clean 10 Hz: " + before + " mV before, " + after + " after");
        // White noise: the kept band 0.5-62.5 Hz is a quarter of 0-250 Hz, so about a quarter of the energy.
        double[] w = noise(n, 1);
        double kept = Math.pow(rms(Wavelet.denoise(w)) / rms(w), 2);
        assertTrue(kept > 0.18 && kept < 0.32, "white noise energy kept: " + kept);
    }

    @Test
    void shortSignalsAreDecomposedToLevelNineAsPywtDoes() {
        // pywt.dwt_max_level(n, 12) = floor(log2(n / 11)): level 9 needs 5632 samples; below, pywt warns and goes on.
        assertEquals(9, Wavelet.DB6.maxLevel(5632));
        assertEquals(8, Wavelet.DB6.maxLevel(5631));
        assertEquals(0, Wavelet.DB6.maxLevel(1));
        assertEquals(0, Wavelet.DB6.maxLevel(21));
        assertEquals(1, Wavelet.DB6.maxLevel(22));
        assertEquals(8, Wavelet.DB6.maxLevel(3000));
        assertEquals(11, Wavelet.DB6.maxLevel(30001));
        for (int n = 1; n <= 40; n++) {
            double[] x = noise(n, n);
            assertEquals(n, Wavelet.denoise(x).length);
            assertEquals(10, Wavelet.DB6.wavedec(x, 9).length);
        }
        // One sample: every coefficient is edge effect (the fixture case n1 holds pywt's values), yet it
        // reconstructs, followed by pywt's extra sample of odd lengths.
        double[] one = Wavelet.DB6.waverec(Wavelet.DB6.wavedec(new double[] {1.5}, 9));
        assertEquals(2, one.length);
        assertEquals(1.5, one[0], 1e-12);
    }

    @Test
    void badInputIsRefusedNamingTheValue() {
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> Wavelet.denoise((float[]) null));
        assertTrue(nul.getMessage().contains("null"), nul.getMessage());
        IllegalArgumentException nulD = assertThrows(IllegalArgumentException.class,
                () -> Wavelet.denoise((double[]) null));
        assertTrue(nulD.getMessage().contains("null"), nulD.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Wavelet.denoise(new float[0]));
        assertTrue(empty.getMessage().contains("0 samples"), empty.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Wavelet.denoise(new double[] {1, 2, Double.NaN, 4}));
        assertTrue(nan.getMessage().contains("sample 2 is NaN"), nan.getMessage());
        IllegalArgumentException level = assertThrows(IllegalArgumentException.class,
                () -> Wavelet.DB6.wavedec(new double[] {1, 2}, -1));
        assertTrue(level.getMessage().contains("level -1"), level.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Wavelet.DB6.waverec(new double[][] {new double[8], new double[6]}));
        assertTrue(shape.getMessage().contains("8 coefficients") && shape.getMessage().contains("6"),
                shape.getMessage());
        IllegalArgumentException hole = assertThrows(IllegalArgumentException.class,
                () -> Wavelet.DB6.waverec(new double[][] {new double[6], null}));
        assertTrue(hole.getMessage().contains("array 1 of 2 is null"), hole.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Wavelet.DB6.waverec(null));
        assertThrows(IllegalArgumentException.class, () -> Wavelet.DB6.maxLevel(0));
    }

    private static double[] noise(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    private static double[] sine(int n, double hz, double amplitude) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = amplitude * Math.sin(2 * Math.PI * hz * i / FS);
        }
        return x;
    }

    private static double[] alternating(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 2 == 0 ? 1 : -1;
        }
        return x;
    }

    private static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static double rms(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s / x.length);
    }
}
