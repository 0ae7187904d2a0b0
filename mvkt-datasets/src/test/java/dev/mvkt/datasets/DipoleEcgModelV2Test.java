package dev.mvkt.datasets;

import dev.mvkt.api.SplitName;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.mvkt.datasets.DipoleEcgModel.AFIB;
import static dev.mvkt.datasets.DipoleEcgModel.CD;
import static dev.mvkt.datasets.DipoleEcgModel.STD_INF;
import static dev.mvkt.datasets.DipoleEcgModel.TINV_ANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Generator v2's physiology: every per-record direction within its documented range, and the lead patterns the
 * class comment of {@link SyntheticEcg} promises, checked on clean renders.
 */
class DipoleEcgModelV2Test {

    private static final int I = 0;
    private static final int II = 1;
    private static final int III = 2;
    private static final int AVF = 5;
    private static final int V1 = 6;
    private static final int V2 = 7;
    private static final int V3 = 8;
    private static final double FS = 100;
    private static final int N = 1000;

    private static DipoleEcgModel.Params params(long seed) {
        return DipoleEcgModel.sampleV2(new SplittableRandom(seed), 0.5, SyntheticEcg.DEFAULT_CO_OCCURRENCE);
    }

    /** Per lead, the signed per-sample difference summed, between the record with a finding at full strength and without. */
    private static double[] signedEffect(DipoleEcgModel.Params p, int finding) {
        double[][] on = DipoleEcgModel.render(p.withFinding(finding, true).withStrength(finding, 1), FS, N, false);
        double[][] off = DipoleEcgModel.render(p.withFinding(finding, false), FS, N, false);
        double[] e = new double[12];
        for (int l = 0; l < 12; l++) {
            for (int n = 0; n < N; n++) {
                e[l] += on[l][n] - off[l][n];
            }
        }
        return e;
    }

    private static double[] absEffect(DipoleEcgModel.Params p, int finding) {
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

    private static double norm(double[] v) {
        return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }

    @Test
    void directionsStayInTheirDocumentedRanges() {
        qt().withExamples(500).forAll(longs().all()).checkAssert(seed -> {
            DipoleEcgModel.Params p = params(seed);
            assertEquals(2, p.version());
            DipoleEcgModel.FindingVectors v = p.vectors();
            assertNotNull(v);
            assertEquals(1, norm(v.tinv()), 1e-12);
            assertEquals(1, norm(v.std()), 1e-12);
            double tinvAz = Math.toDegrees(Math.atan2(v.tinv()[0], v.tinv()[2]));
            double tinvEl = Math.toDegrees(Math.asin(v.tinv()[1]));
            assertTrue(tinvAz >= DipoleEcgModel.TINV_SEPTAL_AZIMUTH_DEG[0] - 1e-9
                    && tinvAz <= DipoleEcgModel.TINV_LATERAL_AZIMUTH_DEG[1] + 1e-9, "T-inversion azimuth " + tinvAz);
            assertTrue(tinvEl >= DipoleEcgModel.TINV_ELEVATION_DEG[0] - 1e-9
                    && tinvEl <= DipoleEcgModel.TINV_ELEVATION_DEG[1] + 1e-9, "T-inversion elevation " + tinvEl);
            // The ST vector points superior (negative y), within 60° of straight up in the frontal plane.
            double stdDev = Math.toDegrees(Math.atan2(v.std()[0], -v.std()[1]));
            assertTrue(Math.abs(stdDev) <= DipoleEcgModel.STD_V2_DEVIATION_DEG + 1e-9, "ST deviation " + stdDev);
            assertTrue(Math.abs(v.std()[2] / Math.hypot(v.std()[0], v.std()[1]))
                    <= DipoleEcgModel.STD_V2_ANTERIOR + 1e-9, "ST anterior part " + v.std()[2]);
            double cdAz = Math.toDegrees(Math.atan2(-v.cd()[0], v.cd()[2]));
            assertTrue(cdAz >= DipoleEcgModel.CD_AZIMUTH_DEG[0] - 1e-9 && cdAz <= DipoleEcgModel.CD_AZIMUTH_DEG[1]
                    + 1e-9, "CD azimuth " + cdAz);
        });
    }

    @Test
    void anteriorTInversionPullsDownV1ToV3AndSometimesLeadI() {
        int leadIDown = 0;
        int n = 200;
        double ratio = 0;
        for (int s = 0; s < n; s++) {
            DipoleEcgModel.Params p = params(s);
            double[] e = signedEffect(p, TINV_ANT);
            assertTrue(e[V1] < 0 && e[V2] < 0 && e[V3] < 0, "seed " + s + ": V1-V3 " + e[V1] + ", " + e[V2] + ", "
                    + e[V3]);
            leadIDown += e[I] < -0.3 * Math.abs(e[V2]) / 1.5 ? 1 : 0;
            ratio += Math.abs(e[I]) / Math.abs(e[V2]);
        }
        // The anterolateral half reaches lead I clearly; in the rest lead I sees little, of either sign.
        assertTrue(leadIDown > 0.3 * n && leadIDown < 0.7 * n, "records with a clear lead-I T change: " + leadIDown);
        assertTrue(ratio / n < 0.5, "mean |lead I| / |V2| " + ratio / n);
    }

    @Test
    void inferiorStDepressionShowsInAvfAlwaysAndInLeadIWithEitherSign() {
        int up = 0;
        int down = 0;
        double ratio = 0;
        int n = 200;
        for (int s = 0; s < n; s++) {
            double[] e = signedEffect(params(s), STD_INF);
            assertTrue(e[AVF] < 0, "seed " + s + ": aVF " + e[AVF]);
            assertTrue(e[II] < 0 || e[III] < 0, "seed " + s + ": II " + e[II] + ", III " + e[III]);
            double best = Math.min(e[II], Math.min(e[III], e[AVF]));
            ratio += Math.abs(e[I]) / Math.abs(best);
            up += e[I] > 0.1 * Math.abs(best) ? 1 : 0;
            down += e[I] < -0.1 * Math.abs(best) ? 1 : 0;
        }
        // Towards aVL lead I sees reciprocal elevation, towards aVR depression: the sign varies between patients.
        assertTrue(up > n / 6 && down > n / 6, "lead I elevated in " + up + ", depressed in " + down);
        assertTrue(ratio / n < 0.8, "mean |lead I| / strongest inferior lead " + ratio / n);
    }

    @Test
    void conductionDelayAndAtrialFibrillationChangeEveryLead() {
        qt().withExamples(30).forAll(longs().all()).checkAssert(seed -> {
            DipoleEcgModel.Params p = params(seed);
            double[] cd = absEffect(p, CD);
            double[] af = absEffect(p, AFIB);
            for (int l = 0; l < 12; l++) {
                assertTrue(cd[l] > 1, "CD, lead " + l + ": " + cd[l]);
                assertTrue(af[l] > 1, "AFIB, lead " + l + ": " + af[l]);
            }
        });
    }

    /**
     * The terminal rightward-anterior force shows more in V1 than in lead III in nearly every record, not in all:
     * with its direction drawn per record, about 2 in 1000 records (seed −2023: V1 21.3, III 24.4) have it the other
     * way, so a per-record check of random seeds failed about one run in fifteen. Counted over fixed records instead.
     */
    @Test
    void conductionDelayShowsMoreInV1ThanInLeadIIIInNearlyEveryRecord() {
        int n = 1000;
        int v1 = 0;
        for (long i = 0; i < n; i++) {
            double[] cd = absEffect(params(i * 0x9E3779B97F4A7C15L), CD);
            v1 += cd[V1] > cd[III] ? 1 : 0;
        }
        assertTrue(v1 >= 0.99 * n, "V1 above III in " + v1 + " of " + n + " records");
        double[] odd = absEffect(params(-2023), CD);
        assertTrue(odd[V1] < odd[III], "the documented exception, seed -2023");
    }

    @Test
    void coOccurrenceLinksTheIschaemicFindingsAndKeepsPrevalences() {
        int n = 20_000;
        for (double co : new double[] {0, SyntheticEcg.DEFAULT_CO_OCCURRENCE}) {
            int std = 0;
            int tinv = 0;
            int both = 0;
            for (int i = 0; i < n; i++) {
                boolean[] f = SyntheticEcg.params(2, 0, SplitName.TRAIN, i, SyntheticEcg.DEFAULT_DIFFICULTY, co)
                        .findings();
                std += f[STD_INF] ? 1 : 0;
                tinv += f[TINV_ANT] ? 1 : 0;
                both += f[STD_INF] && f[TINV_ANT] ? 1 : 0;
            }
            double ps = std / (double) n;
            double pt = tinv / (double) n;
            assertEquals(DipoleEcgModel.PREVALENCE[STD_INF], ps, 0.015, "STD_INF prevalence at co-occurrence " + co);
            assertEquals(DipoleEcgModel.PREVALENCE[TINV_ANT], pt, 0.015, "TINV_ANT prevalence at " + co);
            // P(both) = c·min(pS, pT) + (1 − c)·pS·pT when TINV_ANT copies STD_INF's draw with probability c.
            double expected = co * Math.min(DipoleEcgModel.PREVALENCE[STD_INF], DipoleEcgModel.PREVALENCE[TINV_ANT])
                    + (1 - co) * DipoleEcgModel.PREVALENCE[STD_INF] * DipoleEcgModel.PREVALENCE[TINV_ANT];
            assertEquals(expected, both / (double) n, 0.01, "P(STD_INF and TINV_ANT) at co-occurrence " + co);
        }
    }
}
