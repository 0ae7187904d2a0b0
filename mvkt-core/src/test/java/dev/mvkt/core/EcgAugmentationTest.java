package dev.mvkt.core;

import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class EcgAugmentationTest {
    private static final double RATE = 100;

    /** Everything off, so a test can turn on the one transformation it checks. */
    private static EcgAugmentation.Builder none() {
        return EcgAugmentation.builder().optAllProbabilities(0);
    }

    /** A smooth, strictly positive, lead-dependent test signal in mV. */
    private static float[][] signal(int leads, int length) {
        float[][] x = new float[leads][length];
        for (int c = 0; c < leads; c++) {
            for (int t = 0; t < length; t++) {
                x[c][t] = (float) (1.5 + 0.3 * c + Math.sin(2 * Math.PI * 1.2 * t / RATE + c));
            }
        }
        return x;
    }

    /** Lead c is the ramp t + 1000·c: each output sample tells which input position it came from. */
    private static float[][] ramps(int leads, int length) {
        float[][] x = new float[leads][length];
        for (int c = 0; c < leads; c++) {
            for (int t = 0; t < length; t++) {
                x[c][t] = t + 1000f * c;
            }
        }
        return x;
    }

    private static float[][] copy(float[][] x) {
        float[][] y = new float[x.length][];
        for (int c = 0; c < x.length; c++) {
            y[c] = x[c].clone();
        }
        return y;
    }

    @Test
    void preservesTheShapeForOneAndTwelveLeadsAndOddLengths() {
        EcgAugmentation everything = EcgAugmentation.builder().optAllProbabilities(1).build();
        for (EcgAugmentation aug : new EcgAugmentation[] {EcgAugmentation.defaults(), everything}) {
            for (int leads : new int[] {1, 12}) {
                for (int length : new int[] {1, 2, 3, 7, 101, 1000, 1001}) {
                    for (long seed = 0; seed < 5; seed++) {
                        float[][] out = aug.apply(signal(leads, length), RATE, new SplittableRandom(seed));
                        assertEquals(leads, out.length);
                        for (float[] lead : out) {
                            assertEquals(length, lead.length, leads + " leads, length " + length);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameViewAndOtherSeedsOtherViews() {
        EcgAugmentation aug = EcgAugmentation.defaults();
        float[][] x = signal(12, 500);
        for (long seed = 0; seed < 20; seed++) {
            float[][] a = aug.apply(x, RATE, new SplittableRandom(seed));
            float[][] b = aug.apply(x, RATE, new SplittableRandom(seed));
            float[][] c = aug.apply(x, RATE, new SplittableRandom(seed + 1000));
            assertTrue(Arrays.deepEquals(a, b), "seed " + seed + " did not reproduce");
            assertFalse(Arrays.deepEquals(a, c), "seeds " + seed + " and " + (seed + 1000) + " gave the same view");
        }
        // The two views of one record come from consecutive calls on one stream, and differ.
        SplittableRandom one = new SplittableRandom(7);
        assertFalse(Arrays.deepEquals(aug.apply(x, RATE, one), aug.apply(x, RATE, one)));
    }

    @Test
    void neverChangesTheInput() {
        float[][] x = signal(12, 333);
        float[][] before = copy(x);
        EcgAugmentation everything = EcgAugmentation.builder().optAllProbabilities(1).optScalePerLead(true)
                .optLeadDropoutRate(0.9).build();
        for (long seed = 0; seed < 10; seed++) {
            float[][] out = everything.apply(x, RATE, new SplittableRandom(seed));
            assertNotSame(x, out);
            for (int c = 0; c < x.length; c++) {
                assertNotSame(x[c], out[c]);
            }
        }
        assertTrue(Arrays.deepEquals(before, x));
    }

    @Test
    void everyProbabilityZeroIsTheIdentity() {
        EcgAugmentation off = none().build();
        for (int leads : new int[] {1, 3, 12}) {
            float[][] x = signal(leads, 257);
            float[][] out = off.apply(x, RATE, new SplittableRandom(leads));
            assertNotSame(x, out);
            assertTrue(Arrays.deepEquals(x, out), leads + " leads");
        }
    }

    @Test
    void noiseAloneHasTheRequestedStandardDeviation() {
        double sigma = 0.05;
        EcgAugmentation noise = none().optNoiseProbability(1).optNoiseSigma(sigma).build();
        float[][] x = signal(2, 100_000);
        float[][] out = noise.apply(x, RATE, new SplittableRandom(3));
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            double sq = 0;
            for (int t = 0; t < x[c].length; t++) {
                double r = out[c][t] - x[c][t];
                sum += r;
                sq += r * r;
            }
            double n = x[c].length;
            double mean = sum / n;
            double sd = Math.sqrt(sq / n - mean * mean);
            // Standard errors: sd/√n ≈ 1.6e-4 for the mean, σ/√(2n) ≈ 1.1e-4 for the sd.
            assertEquals(0, mean, 1e-3, "lead " + c + " mean residual");
            assertEquals(sigma, sd, 1e-3, "lead " + c + " residual sd");
        }
    }

    @Test
    void scaleAloneMultipliesByOneFactorInRange() {
        EcgAugmentation perRecord = none().optScaleProbability(1).build();
        EcgAugmentation perLead = none().optScaleProbability(1).optScalePerLead(true).build();
        float[][] x = signal(12, 300);
        boolean leadFactorsDiffer = false;
        for (long seed = 0; seed < 20; seed++) {
            double[] rec = ratios(x, perRecord.apply(x, RATE, new SplittableRandom(seed)));
            double[] led = ratios(x, perLead.apply(x, RATE, new SplittableRandom(seed)));
            for (int c = 0; c < 12; c++) {
                assertTrue(rec[c] >= 0.5 - 1e-6 && rec[c] <= 1.5 + 1e-6, "factor " + rec[c]);
                assertEquals(rec[0], rec[c], 1e-6, "one factor for the whole record");
                assertTrue(led[c] >= 0.5 - 1e-6 && led[c] <= 1.5 + 1e-6, "factor " + led[c]);
                leadFactorsDiffer |= Math.abs(led[c] - led[0]) > 1e-3;
            }
        }
        assertTrue(leadFactorsDiffer, "per-lead scaling never gave two leads different factors");
    }

    /** The factor out/in of each lead, after checking it is the same for every sample of the lead. */
    private static double[] ratios(float[][] in, float[][] out) {
        double[] f = new double[in.length];
        for (int c = 0; c < in.length; c++) {
            f[c] = (double) out[c][0] / in[c][0];
            for (int t = 0; t < in[c].length; t++) {
                assertEquals(f[c], (double) out[c][t] / in[c][t], 1e-6, "lead " + c + " sample " + t);
            }
        }
        return f;
    }

    @Test
    void maskAloneZeroesOneShortStretchInAllLeads() {
        EcgAugmentation mask = none().optMaskProbability(1).build();
        int n = 1001;
        float[][] x = signal(12, n);
        int longest = 0;
        for (long seed = 0; seed < 50; seed++) {
            float[][] out = mask.apply(x, RATE, new SplittableRandom(seed));
            int start = -1;
            int end = -1;
            for (int t = 0; t < n; t++) {
                if (out[0][t] == 0f) {
                    if (start < 0) {
                        start = t;
                    }
                    assertTrue(end < 0, "seed " + seed + ": a second zero stretch at " + t);
                } else if (start >= 0 && end < 0) {
                    end = t;
                }
            }
            if (end < 0) {
                end = n;
            }
            assertTrue(start >= 0, "seed " + seed + ": nothing was masked");
            int length = end - start;
            assertTrue(length >= 1 && length <= 0.1 * n, "mask of " + length + " samples");
            longest = Math.max(longest, length);
            for (int c = 0; c < 12; c++) {
                for (int t = 0; t < n; t++) {
                    float expected = t >= start && t < end ? 0f : x[c][t];
                    assertEquals(expected, out[c][t], "seed " + seed + " lead " + c + " sample " + t);
                }
            }
        }
        assertTrue(longest > 50, "50 masks of up to 100 samples never exceeded 50: " + longest);
    }

    @Test
    void leadDropoutNeverZeroesEveryLeadAndLeavesOneLeadAlone() {
        float[][] x = signal(12, 200);
        EcgAugmentation all = none().optLeadDropoutProbability(1).optLeadDropoutRate(1).build();
        EcgAugmentation some = none().optLeadDropoutProbability(1).build();
        int dropped = 0;
        int draws = 0;
        for (long seed = 0; seed < 300; seed++) {
            float[][] out = all.apply(x, RATE, new SplittableRandom(seed));
            assertEquals(1, kept(x, out), "rate 1 keeps exactly one lead");
            out = some.apply(x, RATE, new SplittableRandom(seed));
            int k = kept(x, out);
            assertTrue(k >= 1, "seed " + seed + " zeroed every lead");
            dropped += 12 - k;
            draws += 12;
            float[][] single = signal(1, 200);
            assertTrue(Arrays.deepEquals(single, all.apply(single, RATE, new SplittableRandom(seed))),
                    "one lead is never dropped");
        }
        // 3600 leads at rate 0.2: sd of the fraction ≈ 0.007.
        assertEquals(0.2, (double) dropped / draws, 0.03);
    }

    /** How many leads are unchanged, after checking every other lead is exactly zero. */
    private static int kept(float[][] in, float[][] out) {
        int kept = 0;
        for (int c = 0; c < in.length; c++) {
            if (Arrays.equals(in[c], out[c])) {
                kept++;
            } else {
                assertArrayEquals(new float[in[c].length], out[c], "lead " + c + " neither kept nor zeroed");
            }
        }
        return kept;
    }

    @Test
    void cropWithMinimumFractionOneIsTheIdentity() {
        EcgAugmentation crop = none().optCropProbability(1).optMinCropFraction(1).build();
        for (int n : new int[] {1, 2, 9, 500}) {
            float[][] x = signal(3, n);
            assertTrue(Arrays.deepEquals(x, crop.apply(x, RATE, new SplittableRandom(n))), "length " + n);
        }
    }

    @Test
    void cropStretchesOneWindowOfAllLeadsLinearly() {
        EcgAugmentation crop = none().optCropProbability(1).build();
        int n = 1000;
        float[][] x = ramps(4, n);
        double shortest = 1;
        for (long seed = 0; seed < 30; seed++) {
            float[][] out = crop.apply(x, RATE, new SplittableRandom(seed));
            // On a ramp, the stretched window is the line start + t·(w − 1)/(n − 1).
            double start = out[0][0];
            double slope = (out[0][n - 1] - start) / (n - 1);
            assertTrue(start >= 0 && out[0][n - 1] <= n - 1, "window inside the signal");
            double fraction = (slope * (n - 1) + 1) / n;
            assertTrue(fraction >= 0.5 - 1e-3 && fraction <= 1 + 1e-9, "window fraction " + fraction);
            shortest = Math.min(shortest, fraction);
            for (int c = 0; c < 4; c++) {
                for (int t = 0; t < n; t++) {
                    assertEquals(start + t * slope + 1000 * c, out[c][t], 1e-3, "lead " + c + " sample " + t);
                }
            }
        }
        assertTrue(shortest < 0.7, "30 crops never went below 0.7 of the length");
    }

    @Test
    void shiftMovesAllLeadsAndPadsWithTheEdgeValue() {
        EcgAugmentation shift = none().optShiftProbability(1).build();
        int n = 1000;
        float[][] x = ramps(3, n);
        boolean left = false;
        boolean right = false;
        for (long seed = 0; seed < 40; seed++) {
            float[][] out = shift.apply(x, RATE, new SplittableRandom(seed));
            // The middle sample is in range for any shift ≤ 1 s = 100 samples, and tells the shift.
            int by = n / 2 - (int) out[0][n / 2];
            assertTrue(Math.abs(by) <= RATE, "shift of " + by + " samples exceeds 1 s");
            left |= by < 0;
            right |= by > 0;
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < n; t++) {
                    float expected = x[c][Math.max(0, Math.min(n - 1, t - by))];
                    assertEquals(expected, out[c][t], "seed " + seed + " lead " + c + " sample " + t);
                }
            }
        }
        assertTrue(left && right, "40 shifts were never both ways");
    }

    @Test
    void wanderAloneIsSlowAndWithinItsAmplitude() {
        EcgAugmentation wander = none().optWanderProbability(1).build();
        int n = 3000;
        float[][] x = signal(12, n);
        double largest = 0;
        for (long seed = 0; seed < 10; seed++) {
            float[][] out = wander.apply(x, RATE, new SplittableRandom(seed));
            for (int c = 0; c < 12; c++) {
                double previous = out[c][0] - x[c][0];
                for (int t = 0; t < n; t++) {
                    double w = (double) out[c][t] - x[c][t];
                    assertTrue(Math.abs(w) <= 0.2 + 1e-5, "wander " + w + " mV beyond 0.2");
                    // |d/dt Σ A sin(2πft)| ≤ 2π·0.5 Hz·0.2 mV per second: at most 0.0063 mV per sample at 100 Hz.
                    assertTrue(Math.abs(w - previous) <= 2 * Math.PI * 0.5 * 0.2 / RATE + 1e-5,
                            "wander jumps " + (w - previous) + " mV in one sample");
                    previous = w;
                    largest = Math.max(largest, Math.abs(w));
                }
            }
        }
        assertTrue(largest > 0.02, "wander never reached 0.02 mV: " + largest);
    }

    @Test
    void isLabelFree() {
        float[][] x = signal(12, 400);
        EcgRecord normal = new EcgRecord("a", x, RATE, Lead.STANDARD_12, new float[] {1, 0, 0, 0, 0});
        EcgRecord sick = new EcgRecord("b", copy(x), RATE, Lead.STANDARD_12, new float[] {0, 1, 1, 0, 1});
        EcgAugmentation aug = EcgAugmentation.builder().optAllProbabilities(1).build();
        for (long seed = 0; seed < 5; seed++) {
            assertTrue(Arrays.deepEquals(
                    aug.apply(normal.signal(), normal.samplingRate(), new SplittableRandom(seed)),
                    aug.apply(sick.signal(), sick.samplingRate(), new SplittableRandom(seed))));
        }
        // No public method can even receive a record or its labels.
        for (Class<?> type : new Class<?>[] {EcgAugmentation.class, EcgAugmentation.Builder.class}) {
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers())) {
                    for (Class<?> p : m.getParameterTypes()) {
                        assertTrue(p != EcgRecord.class && p != float[].class, m + " takes a " + p.getSimpleName());
                    }
                }
            }
        }
    }

    @Test
    void outputIsFiniteForRandomFiniteInputsAndSettings() {
        qt().withExamples(150).forAll(longs().all(), integers().between(1, 12), integers().between(1, 700))
                .check((seed, leads, length) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    double lo = 0.05 + 2 * r.nextDouble();
                    double hz = 0.01 + r.nextDouble();
                    EcgAugmentation aug = EcgAugmentation.builder()
                            .optCropProbability(r.nextDouble()).optMinCropFraction(0.01 + 0.99 * r.nextDouble())
                            .optShiftProbability(r.nextDouble()).optMaxShiftSeconds(5 * r.nextDouble())
                            .optScaleProbability(r.nextDouble()).optScaleRange(lo, lo + 3 * r.nextDouble())
                            .optScalePerLead(r.nextBoolean())
                            .optWanderProbability(r.nextDouble()).optMaxWanderAmplitude(r.nextDouble())
                            .optWanderHz(hz, hz + 2 * r.nextDouble()).optMaxWanderComponents(1 + r.nextInt(5))
                            .optNoiseProbability(r.nextDouble()).optNoiseSigma(0.5 * r.nextDouble())
                            .optMaskProbability(r.nextDouble()).optMaxMaskFraction(r.nextDouble())
                            .optLeadDropoutProbability(r.nextDouble()).optLeadDropoutRate(r.nextDouble())
                            .build();
                    float[][] x = new float[leads][length];
                    for (float[] lead : x) {
                        for (int t = 0; t < length; t++) {
                            lead[t] = (float) (50 * (2 * r.nextDouble() - 1));
                        }
                    }
                    double rate = 50 + 950 * r.nextDouble();
                    float[][] out = aug.apply(x, rate, r.split());
                    if (out.length != leads) {
                        return false;
                    }
                    for (float[] lead : out) {
                        if (lead.length != length) {
                            return false;
                        }
                        for (float v : lead) {
                            if (!Float.isFinite(v)) {
                                return false;
                            }
                        }
                    }
                    return true;
                });
    }

    @Test
    void badInputIsNamed() {
        EcgAugmentation aug = EcgAugmentation.defaults();
        SplittableRandom r = new SplittableRandom(0);
        assertMessage("no leads", () -> aug.apply(null, RATE, r));
        assertMessage("no leads", () -> aug.apply(new float[0][], RATE, r));
        assertMessage("lead 0 has no samples", () -> aug.apply(new float[2][0], RATE, r));
        assertMessage("lead 1 has 3 samples, expected 4", () -> aug.apply(new float[][] {{1, 2, 3, 4}, {1, 2, 3}},
                RATE, r));
        assertMessage("lead 1 has no samples", () -> aug.apply(new float[][] {{1, 2}, null}, RATE, r));
        assertMessage("signal[1][0] is not finite: NaN", () -> aug.apply(new float[][] {{1}, {Float.NaN}}, RATE, r));
        assertMessage("signal[0][1] is not finite: Infinity",
                () -> aug.apply(new float[][] {{1, Float.POSITIVE_INFINITY}}, RATE, r));
        for (double bad : new double[] {0, -100, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertMessage("samplingRate must be finite and positive, was " + bad,
                    () -> aug.apply(new float[][] {{1, 2}}, bad, r));
        }
        assertMessage("rnd", () -> aug.apply(new float[][] {{1, 2}}, RATE, null));
    }

    @Test
    void builderValidationNamesTheSettingAndValue() {
        assertBuildFails("cropProbability", "1.5", EcgAugmentation.builder().optCropProbability(1.5));
        assertBuildFails("shiftProbability", "-0.1", EcgAugmentation.builder().optShiftProbability(-0.1));
        assertBuildFails("scaleProbability", "NaN", EcgAugmentation.builder().optScaleProbability(Double.NaN));
        assertBuildFails("wanderProbability", "2.0", EcgAugmentation.builder().optWanderProbability(2));
        assertBuildFails("noiseProbability", "-1.0", EcgAugmentation.builder().optNoiseProbability(-1));
        assertBuildFails("maskProbability", "1.01", EcgAugmentation.builder().optMaskProbability(1.01));
        assertBuildFails("leadDropoutProbability", "3.0", EcgAugmentation.builder().optLeadDropoutProbability(3));
        assertBuildFails("cropProbability", "NaN", EcgAugmentation.builder().optAllProbabilities(Double.NaN));
        assertBuildFails("minCropFraction", "0.0", EcgAugmentation.builder().optMinCropFraction(0));
        assertBuildFails("minCropFraction", "1.2", EcgAugmentation.builder().optMinCropFraction(1.2));
        assertBuildFails("maxShiftSeconds", "-1.0", EcgAugmentation.builder().optMaxShiftSeconds(-1));
        assertBuildFails("maxShiftSeconds", "Infinity",
                EcgAugmentation.builder().optMaxShiftSeconds(Double.POSITIVE_INFINITY));
        assertBuildFails("minScale", "0.0", EcgAugmentation.builder().optScaleRange(0, 1));
        assertBuildFails("maxScale", "0.5", EcgAugmentation.builder().optScaleRange(0.8, 0.5));
        assertBuildFails("maxWanderAmplitude", "-0.2", EcgAugmentation.builder().optMaxWanderAmplitude(-0.2));
        assertBuildFails("minWanderHz", "-0.05", EcgAugmentation.builder().optWanderHz(-0.05, 0.5));
        assertBuildFails("maxWanderHz", "NaN", EcgAugmentation.builder().optWanderHz(0.05, Double.NaN));
        assertBuildFails("maxWanderComponents", "0", EcgAugmentation.builder().optMaxWanderComponents(0));
        assertBuildFails("noiseSigma", "NaN", EcgAugmentation.builder().optNoiseSigma(Double.NaN));
        assertBuildFails("maxMaskFraction", "1.5", EcgAugmentation.builder().optMaxMaskFraction(1.5));
        assertBuildFails("leadDropoutRate", "-0.2", EcgAugmentation.builder().optLeadDropoutRate(-0.2));
    }

    private static void assertBuildFails(String setting, String value, EcgAugmentation.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains(setting) && e.getMessage().contains(value),
                "message '" + e.getMessage() + "' should name " + setting + " and " + value);
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    @Test
    void configRecordsEverySettingAndTheBuilderIsNotChangedByBuilding() {
        Map<String, Object> defaults = EcgAugmentation.defaults().config();
        assertEquals(List.of("order", "cropProbability", "minCropFraction", "shiftProbability", "maxShiftSeconds",
                "scaleProbability", "minScale", "maxScale", "scalePerLead", "wanderProbability", "maxWanderAmplitude",
                "minWanderHz", "maxWanderHz", "maxWanderComponents", "noiseProbability", "noiseSigma",
                "maskProbability", "maxMaskFraction", "leadDropoutProbability", "leadDropoutRate"),
                List.copyOf(defaults.keySet()));
        assertEquals(0.5, defaults.get("minCropFraction"));
        assertEquals(1.0, defaults.get("maxShiftSeconds"));
        assertEquals(0.05, defaults.get("noiseSigma"));
        assertEquals(0.2, defaults.get("maxWanderAmplitude"));
        assertEquals(0.1, defaults.get("maxMaskFraction"));
        assertEquals(0.2, defaults.get("leadDropoutRate"));
        assertEquals(EcgAugmentation.DEFAULT_PROBABILITY, defaults.get("noiseProbability"));

        EcgAugmentation.Builder b = EcgAugmentation.builder().optNoiseSigma(0.1).optScaleRange(0.9, 1.1);
        EcgAugmentation first = b.build();
        EcgAugmentation second = b.optNoiseSigma(0.3).build();
        assertEquals(0.1, first.config().get("noiseSigma"));
        assertEquals(0.3, second.config().get("noiseSigma"));
        assertEquals(0.9, second.config().get("minScale"));
        assertEquals(1.1, second.config().get("maxScale"));
    }
}
