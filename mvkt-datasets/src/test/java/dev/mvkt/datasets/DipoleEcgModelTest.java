package dev.mvkt.datasets;

import dev.mvkt.api.SplitName;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.mvkt.datasets.DipoleEcgModel.AFIB;
import static dev.mvkt.datasets.DipoleEcgModel.CD;
import static dev.mvkt.datasets.DipoleEcgModel.STD_INF;
import static dev.mvkt.datasets.DipoleEcgModel.TINV_ANT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** Properties of the model that the class comment of {@link SyntheticEcg} promises, checked on clean renders. */
class DipoleEcgModelTest {

    private static final int I = 0;
    private static final int II = 1;
    private static final int III = 2;
    private static final int AVF = 5;
    private static final int V2 = 7;
    private static final int V1 = 6;
    private static final int V6 = 11;
    private static final double FS = 100;
    private static final int N = 1000;

    private static DipoleEcgModel.Params params(long seed) {
        return DipoleEcgModel.sample(new SplittableRandom(seed), 0.5);
    }

    /** The sum of absolute per-sample differences per lead, between a record with and without one finding. */
    private static double[] effect(DipoleEcgModel.Params p, int finding) {
        double[][] on = DipoleEcgModel.render(p.withFinding(finding, true).withStrength(finding, 1), FS, N, false);
        double[][] off = DipoleEcgModel.render(p.withFinding(finding, false), FS, N, false);
        double[] e = new double[12];
        for (int l = 0; l < 12; l++) {
            for (int n = 0; n < N; n++) {
                e[l] += Math.abs(on[l][n] - off[l][n]);
            }
        }
        return e;
    }

    @Test
    void cleanProjectionSatisfiesEinthovenExactly() {
        qt().withExamples(30).forAll(longs().all()).checkAssert(seed -> {
            double[][] x = DipoleEcgModel.render(params(seed), FS, N, false);
            for (int n = 0; n < N; n++) {
                assertEquals(x[II][n], x[I][n] + x[III][n], 1e-12);
                assertEquals(x[3][n] + x[4][n] + x[AVF][n], 0, 1e-12, "aVR + aVL + aVF = 0");
            }
        });
    }

    @Test
    void stDepressionShowsInAvfAndHardlyInLeadI() {
        qt().withExamples(30).forAll(longs().all()).checkAssert(seed -> {
            double[] e = effect(params(seed), STD_INF);
            assertTrue(e[AVF] > 0, "STD_INF must change aVF");
            // The ST vector deviates at most 25° rightward from straight up, so lead I sees at most
            // tan 25° / (√3/2) ≈ 0.54 of what aVF sees (aVF's lead vector is √3/2 long).
            assertTrue(e[I] < 0.55 * e[AVF], "lead I " + e[I] + " vs aVF " + e[AVF]);
            assertTrue(e[II] > e[I] && e[III] > e[I], "inferior leads must see more than lead I");
        });
    }

    @Test
    void anteriorTInversionIsInvisibleInLimbLeadsAndVisibleInV2() {
        qt().withExamples(30).forAll(longs().all()).checkAssert(seed -> {
            DipoleEcgModel.Params p = params(seed);
            double[][] on = DipoleEcgModel.render(p.withFinding(TINV_ANT, true).withStrength(TINV_ANT, 1), FS, N,
                    false);
            double[][] off = DipoleEcgModel.render(p.withFinding(TINV_ANT, false), FS, N, false);
            for (int l = 0; l < 6; l++) {
                assertArrayEquals(off[l], on[l], 1e-12, "limb lead " + l);
            }
            double[] e = effect(p, TINV_ANT);
            assertTrue(e[V2] > 10, "V2 change " + e[V2]);
            // Inversion, not just change: every T wave in V2 is pushed down.
            double signed = 0;
            for (int n = 0; n < N; n++) {
                assertTrue(on[V2][n] <= off[V2][n] + 1e-12, "V2 rose at sample " + n);
                signed += on[V2][n] - off[V2][n];
            }
            assertTrue(signed < -20, "V2 signed change " + signed);
        });
    }

    @Test
    void conductionDelayGivesTerminalForcesInV1AndV6AndPartlyInLeadI() {
        qt().withExamples(30).forAll(longs().all()).checkAssert(seed -> {
            double[] e = effect(params(seed), CD);
            assertTrue(e[V1] > 0 && e[V6] > 0 && e[I] > 0);
            assertTrue(e[V1] > e[III], "V1 " + e[V1] + " vs III " + e[III]);
        });
    }

    @Test
    void afibRemovesPWavesAndAddsFibrillationInLeadI() {
        // With P waves gone and f-waves added, lead I between beats must change for every heart.
        qt().withExamples(30).forAll(longs().all()).checkAssert(seed -> {
            double[] e = effect(params(seed), AFIB);
            assertTrue(e[I] > 5, "lead I change " + e[I]);
        });
    }

    @Test
    void afibRrIntervalsAreMoreIrregularThanSinus() {
        double afCv = 0;
        double sinusCv = 0;
        int af = 0;
        int sinus = 0;
        for (int i = 0; i < 400; i++) {
            DipoleEcgModel.Params p = SyntheticEcg.params(3, SplitName.TRAIN, i, SyntheticEcg.DEFAULT_DIFFICULTY);
            double cv = rrCv(DipoleEcgModel.beatTimes(p, 10));
            if (p.findings()[AFIB]) {
                afCv += cv;
                af++;
            } else {
                sinusCv += cv;
                sinus++;
            }
        }
        afCv /= af;
        sinusCv /= sinus;
        assertTrue(af > 30 && sinus > 200);
        // Premature beats make some sinus records irregular too, but AF is irregular throughout.
        assertTrue(afCv > 2.5 * sinusCv, "AF RR CV " + afCv + " vs sinus " + sinusCv);
    }

    @Test
    void heartRateStaysPhysiological() {
        qt().withExamples(200).forAll(longs().all()).checkAssert(seed -> {
            double[] t = DipoleEcgModel.beatTimes(params(seed), 10);
            for (int b = 1; b < t.length; b++) {
                double rr = t[b] - t[b - 1];
                // The model clamps RR at 0.3 s; differences of cumulative beat times round just below it.
                assertTrue(rr >= 0.3 - 1e-9 && rr < 2.5, "RR " + rr);
            }
            double mean = (t[t.length - 1] - t[0]) / (t.length - 1);
            assertTrue(mean > 60.0 / 140 && mean < 60.0 / 40, "mean RR " + mean);
        });
    }

    @Test
    void parametersDependOnlyOnSeedSplitAndIndex() {
        qt().withExamples(50).forAll(longs().all(), integers().between(0, 1_000_000), doubles().between(0, 1))
                .checkAssert((seed, i, d) -> {
                    DipoleEcgModel.Params a = SyntheticEcg.params(seed, SplitName.VAL, i, d);
                    DipoleEcgModel.Params b = SyntheticEcg.params(seed, SplitName.VAL, i, d);
                    assertArrayEquals(DipoleEcgModel.render(a, FS, 200, true)[V2],
                            DipoleEcgModel.render(b, FS, 200, true)[V2]);
                    for (int k = 0; k < DipoleEcgModel.FINDINGS; k++) {
                        double s = a.strength()[k];
                        assertTrue(s >= 1 - d - 1e-12 && s <= 1, "strength " + s + " at difficulty " + d);
                    }
                });
    }

    @Test
    void higherDifficultyMeansMoreNoise() {
        double easy = 0;
        double hard = 0;
        for (int i = 0; i < 50; i++) {
            easy += noiseEnergy(SyntheticEcg.params(0, SplitName.TRAIN, i, 0));
            hard += noiseEnergy(SyntheticEcg.params(0, SplitName.TRAIN, i, 1));
        }
        assertTrue(hard > 2 * easy, "noise energy " + hard + " at difficulty 1 vs " + easy + " at 0");
    }

    private static double noiseEnergy(DipoleEcgModel.Params p) {
        double[][] noisy = DipoleEcgModel.render(p, FS, N, true);
        double[][] clean = DipoleEcgModel.render(p, FS, N, false);
        double e = 0;
        for (int n = 0; n < N; n++) {
            double d = noisy[I][n] - clean[I][n];
            e += d * d;
        }
        return e;
    }

    private static double rrCv(double[] t) {
        int n = t.length - 1;
        double mean = 0;
        for (int b = 1; b < t.length; b++) {
            mean += t[b] - t[b - 1];
        }
        mean /= n;
        double var = 0;
        for (int b = 1; b < t.length; b++) {
            double d = t[b] - t[b - 1] - mean;
            var += d * d;
        }
        return Math.sqrt(var / n) / mean;
    }
}
