package dev.mvkt.datasets;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import dev.mvkt.api.SplitName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticEcgTest {

    private static final EcgDataset SMALL = SyntheticEcg.builder().optSizes(40, 10, 10).build();

    @Test
    void sameSeedGivesIdenticalRecords() {
        EcgDataset again = SyntheticEcg.builder().optSizes(40, 10, 10).build();
        for (SplitName s : SplitName.values()) {
            for (int i = 0; i < SMALL.split(s).size(); i++) {
                EcgRecord a = SMALL.split(s).record(i);
                EcgRecord b = again.split(s).record(i);
                assertArrayEquals(a.labels(), b.labels());
                for (int l = 0; l < 12; l++) {
                    assertArrayEquals(a.signal()[l], b.signal()[l], "split " + s + " record " + i + " lead " + l);
                }
            }
        }
        assertEquals(SMALL.identity(), again.identity());
    }

    @Test
    void differentSeedGivesDifferentRecords() {
        EcgDataset other = SyntheticEcg.builder().optSeed(1).optSizes(40, 10, 10).build();
        for (int i = 0; i < 5; i++) {
            assertFalse(java.util.Arrays.equals(SMALL.train().record(i).signal()[0],
                    other.train().record(i).signal()[0]), "record " + i);
        }
        assertNotEquals(SMALL.identity(), other.identity());
    }

    @Test
    void splitsDifferFromEachOther() {
        assertFalse(java.util.Arrays.equals(SMALL.train().record(0).signal()[1], SMALL.val().record(0).signal()[1]));
        assertFalse(java.util.Arrays.equals(SMALL.val().record(0).signal()[1], SMALL.test().record(0).signal()[1]));
    }

    @Test
    void recordDependsOnlyOnSeedSplitAndIndex() {
        EcgDataset bigger = SyntheticEcg.builder().optSizes(60, 3, 25).build();
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(SMALL.train().record(i).signal()[6], bigger.train().record(i).signal()[6]);
            assertArrayEquals(SMALL.test().record(i).signal()[0], bigger.test().record(i).signal()[0]);
            assertArrayEquals(SMALL.test().record(i).labels(), bigger.test().record(i).labels());
        }
    }

    @Test
    void shapesLeadsAndRateAtDefaults() {
        assertEquals(List.of("NORM", "AFIB", "STD_INF", "TINV_ANT", "CD"), SMALL.labels().names());
        assertEquals(40, SMALL.train().size());
        assertEquals(10, SMALL.val().size());
        for (SplitName s : SplitName.values()) {
            Split split = SMALL.split(s);
            assertEquals(Lead.STANDARD_12, split.leads());
            assertEquals(100.0, split.samplingRate());
            assertEquals(1000, split.length());
            assertEquals(SyntheticEcg.LABELS, split.labels());
            EcgRecord r = split.record(0);
            assertEquals(12, r.signal().length);
            assertEquals(1000, r.samples());
            assertEquals(5, r.labels().length);
        }
    }

    @Test
    void fiveHundredHertzGivesFiveThousandSamples() {
        EcgDataset ds = SyntheticEcg.builder().optSamplingRate(500).optSizes(3, 1, 1).build();
        assertEquals(500.0, ds.train().samplingRate());
        assertEquals(5000, ds.train().length());
        float[][] x = ds.train().record(0).signal();
        assertEquals(5000, x[11].length);
        assertPlausible(x, "500 Hz record");
        // Same heart, finer sampling: the R peaks must keep roughly their height, not be aliased away at 100 Hz.
        EcgDataset low = SyntheticEcg.builder().optSizes(3, 1, 1).build();
        double hi = maxAbs(x[1]);
        double lo = maxAbs(low.train().record(0).signal()[1]);
        assertTrue(lo > 0.6 * hi && lo < 1.2 * hi, "lead II peak " + lo + " mV at 100 Hz vs " + hi + " at 500 Hz");
    }

    @Test
    void oddDurationsAndRatesWork() {
        EcgDataset ds = SyntheticEcg.builder().optSamplingRate(257).optDurationSeconds(2.5).optSizes(2, 1, 1).build();
        assertEquals(Math.round(257 * 2.5), ds.train().length());
        assertPlausible(ds.train().record(1).signal(), "257 Hz record");
    }

    @Test
    void valuesAreFiniteAndInMillivoltRange() {
        for (SplitName s : SplitName.values()) {
            for (int i = 0; i < SMALL.split(s).size(); i++) {
                assertPlausible(SMALL.split(s).record(i).signal(), s + " " + i);
            }
        }
    }

    @Test
    void qrsIsAboutAMillivoltOrTwo() {
        double sum = 0;
        for (int i = 0; i < 40; i++) {
            float[] ii = SMALL.train().record(i).lead(Lead.II);
            float[] v5 = SMALL.train().record(i).lead(Lead.V5);
            sum += Math.max(range(ii), range(v5));
        }
        double mean = sum / 40;
        assertTrue(mean > 0.8 && mean < 3.0, "mean peak-to-peak " + mean + " mV");
    }

    @Test
    void einthovenAndGoldbergerHoldPerSampleDespiteNoise() {
        for (int i = 0; i < 40; i++) {
            float[][] x = SMALL.train().record(i).signal();
            for (int n = 0; n < x[0].length; n++) {
                double lI = x[0][n];
                double lII = x[1][n];
                double lIII = x[2][n];
                String at = "record " + i + " sample " + n;
                assertEquals(lII, lI + lIII, 1e-5, at + ": II = I + III");
                assertEquals(x[3][n], -(lI + lII) / 2, 1e-5, at + ": aVR = -(I+II)/2");
                assertEquals(x[4][n], lI - lII / 2, 1e-5, at + ": aVL = I - II/2");
                assertEquals(x[5][n], lII - lI / 2, 1e-5, at + ": aVF = II - I/2");
            }
        }
    }

    @Test
    void normIsExactlyTheAbsenceOfFindings() {
        for (SplitName s : SplitName.values()) {
            for (float[] y : SMALL.split(s).labelMatrix()) {
                boolean any = false;
                for (int k = 1; k < y.length; k++) {
                    assertTrue(y[k] == 0 || y[k] == 1);
                    any |= y[k] == 1;
                }
                assertEquals(any ? 0f : 1f, y[0]);
            }
        }
    }

    @Test
    void prevalenceOfEachFindingIsBetweenTenAndThirtyFivePercent() {
        // Labels are cheap to draw without rendering, so a large sample keeps the bounds tight and the test fast.
        int n = 20_000;
        int[] count = new int[5];
        int multi = 0;
        for (int i = 0; i < n; i++) {
            float[] y = SyntheticEcg.labels(SyntheticEcg.params(0, SplitName.TRAIN, i,
                    SyntheticEcg.DEFAULT_DIFFICULTY));
            int findings = 0;
            for (int k = 0; k < 5; k++) {
                count[k] += (int) y[k];
                findings += k > 0 ? (int) y[k] : 0;
            }
            multi += findings > 1 ? 1 : 0;
        }
        for (int k = 1; k < 5; k++) {
            double p = count[k] / (double) n;
            assertTrue(p > 0.15 && p < 0.30, SyntheticEcg.LABELS.name(k) + " prevalence " + p);
        }
        double norm = count[0] / (double) n;
        assertTrue(norm > 0.3 && norm < 0.5, "NORM prevalence " + norm);
        assertTrue(multi > n / 20, "records with several findings: " + multi);
    }

    @Test
    void identityNamesEverySetting() {
        EcgDataset ds = SyntheticEcg.builder().optSeed(7).optSamplingRate(250).optDurationSeconds(2)
                .optSizes(3, 2, 1).optDifficulty(0.25).build();
        assertEquals("synthetic-ecg v2 (seed=7, fs=250.0, seconds=2.0, sizes=3/2/1, difficulty=0.25, "
                + "co-occurrence=0.3)", ds.identity());
        // v1's identity is unchanged, so that caches and provenance made with it still match.
        EcgDataset v1 = SyntheticEcg.builder().optVersion(1).optSeed(7).optSamplingRate(250).optDurationSeconds(2)
                .optSizes(3, 2, 1).optDifficulty(0.25).build();
        assertEquals("synthetic-ecg v1 (seed=7, fs=250.0, seconds=2.0, sizes=3/2/1, difficulty=0.25)",
                v1.identity());
        assertNotEquals(SyntheticEcg.builder().optCoOccurrence(0).optSeed(7).optSamplingRate(250)
                .optDurationSeconds(2).optSizes(3, 2, 1).optDifficulty(0.25).build().identity(), ds.identity());
        assertTrue(SMALL.identity().contains("difficulty=" + SyntheticEcg.DEFAULT_DIFFICULTY), SMALL.identity());
    }

    @Test
    void recordIdsNameSplitAndIndex() {
        assertEquals("train-3", SMALL.train().record(3).id());
        assertEquals("test-0", SMALL.test().record(0).id());
    }

    static void assertPlausible(float[][] x, String what) {
        for (int l = 0; l < x.length; l++) {
            for (int n = 0; n < x[l].length; n++) {
                float v = x[l][n];
                assertTrue(Float.isFinite(v) && Math.abs(v) < 6, what + " lead " + l + " sample " + n + " = " + v);
            }
        }
    }

    static double maxAbs(float[] x) {
        double m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double range(float[] x) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (float v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
    }
}
