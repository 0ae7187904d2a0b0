package dev.mvkt.core;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Provenance;
import dev.mvkt.api.SignalQuality.Reason;
import dev.mvkt.api.SignalQuality.Verdict;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.backbones.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code diagnose} does with input that used to give silent nonsense, absurd rates, and recordings of hours.
 * The student is an untrained tiny network: these tests are about the input path, not the findings.
 */
class DiagnoseInputTest {
    private static final LabelSet LABELS = LabelSet.of("NORM", "AF", "STD");
    private static final Student STUDENT = student(List.of(Lead.II));

    static Student student(List<Lead> leads) {
        EcgNetwork net = Backbones.resnet1dWangBuilder().optWidth(4).build()
                .build(new NetworkSpec(leads.size(), LABELS.size(), 7, new Adam(1e-2), 0));
        return new Student(new TrainedModel("student", net, leads, LABELS, new double[]{0.5, 0.5, 0.5},
                new Standardizer(0.0, 0.3), 100, 250, Provenance.builder().put("stage", "student").build()));
    }

    private static float[] clean(double hz) {
        return QualityGateTest.clean(hz, 0);
    }

    private static void assertAbstains(Diagnosis d, Reason reason) {
        assertTrue(d.abstained(), d.toString());
        assertEquals(List.of(), d.findings());
        assertTrue(Double.isNaN(d.probability("NORM")));
        assertEquals(Verdict.UNUSABLE, d.quality().verdict());
        assertTrue(d.quality().reasons().contains(reason), d.quality().toString());
        assertTrue(d.toString().startsWith("Diagnosis{abstained"), d.toString());
    }

    @Test
    void aCleanRecordingIsScoredAndCarriesAnOkVerdict() {
        Diagnosis d = STUDENT.diagnose(clean(500), 500);
        assertFalse(d.abstained());
        assertTrue(d.quality().isOk() && d.quality().assessed(), d.quality().toString());
        for (double p : d.probabilities()) {
            assertTrue(p >= 0 && p <= 1, d.toString());
        }
    }

    @Test
    void silentNonsenseOfOldIsAnsweredByTheGate() {
        assertAbstains(STUDENT.diagnose(new float[1000], 100), Reason.LEAD_OFF);           // 0 mV: used to be NORM
        float[] minus1000 = new float[1000];
        Arrays.fill(minus1000, -1000f);
        assertAbstains(STUDENT.diagnose(minus1000, 100), Reason.BASELINE_OFFSET);
        Random r = new Random(1);
        float[] noise = new float[5000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) r.nextGaussian();
        }
        assertAbstains(STUDENT.diagnose(noise, 500), Reason.HIGH_FREQUENCY_NOISE);
        float[] tiny = QualityGateTest.scale(clean(500), 1e-9f);
        assertAbstains(STUDENT.diagnose(tiny, 500), Reason.LEAD_OFF);
        assertAbstains(STUDENT.diagnose(Arrays.copyOf(clean(100), 150), 100), Reason.TOO_SHORT);
    }

    @Test
    void absurdRatesAreRefusedNamingTheValue() {
        float[] x = clean(100);
        for (double hz : new double[]{0.001, 1e-12, 0.5, 0, -1, 20_000, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> STUDENT.diagnose(x, hz));
            assertTrue(e.getMessage().contains("sampling rate " + hz + " Hz"), e.getMessage());
        }
        // One sample declared at 0.5 Hz "lasts" 2 s, which used to pass the length check.
        var e = assertThrows(IllegalArgumentException.class, () -> STUDENT.diagnose(new float[]{0.1f}, 0.5));
        assertTrue(e.getMessage().contains("0.5 Hz"), e.getMessage());
    }

    @Test
    void nonFiniteSamplesAndMismatchedLeadsAreRefused() {
        float[] x = clean(100);
        float[] nan = x.clone();
        nan[17] = Float.NaN;
        assertEquals("lead II: sample 17 is NaN; expected finite values in mV",
                assertThrows(IllegalArgumentException.class, () -> STUDENT.diagnose(nan, 100)).getMessage());
        float[] inf = x.clone();
        inf[999] = Float.POSITIVE_INFINITY;
        assertEquals("lead II: sample 999 is Infinity; expected finite values in mV",
                assertThrows(IllegalArgumentException.class, () -> STUDENT.diagnose(inf, 100)).getMessage());
        Student two = student(List.of(Lead.I, Lead.II));
        var e = assertThrows(IllegalArgumentException.class,
                () -> two.diagnose(new float[][]{x, Arrays.copyOf(x, 900)}, 100));
        assertTrue(e.getMessage().contains("lead II has 900 samples but lead I has 1000"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> two.diagnose(x, 100)).getMessage()
                .contains("reads leads [I, II]"));
    }

    @Test
    void thePolicyDecidesWhenToAbstain() {
        float[] flat = new float[1000];
        Diagnosis anyway = STUDENT.diagnose(flat, 100, DiagnoseOptions.of(QualityPolicy.REPORT_ONLY));
        assertFalse(anyway.abstained());
        assertEquals(Verdict.UNUSABLE, anyway.quality().verdict());
        assertTrue(anyway.toString().contains("quality unusable"), anyway.toString());
        float[] threeSeconds = Arrays.copyOf(clean(100), 300);
        Diagnosis def = STUDENT.diagnose(threeSeconds, 100);
        assertFalse(def.abstained());
        assertEquals(Verdict.QUESTIONABLE, def.quality().verdict());
        assertTrue(STUDENT.diagnose(threeSeconds, 100, DiagnoseOptions.of(QualityPolicy.ABSTAIN_WHEN_QUESTIONABLE))
                .abstained());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DiagnoseOptions.builder().optWindowBatch(0)
                .build()).getMessage().contains("was 0"));
    }

    @Test
    void longRecordingsAreScoredInBatchesWithTheSameMean() {
        // Two minutes at 100 Hz with 250-sample windows: 95 windows.
        float[] one = clean(100);
        float[] twoMinutes = new float[12_000];
        for (int i = 0; i < twoMinutes.length; i++) {
            twoMinutes[i] = one[i % one.length];
        }
        double[] all = STUDENT.diagnose(twoMinutes, 100, DiagnoseOptions.builder().optWindowBatch(1000).build())
                .probabilities();
        for (int batch : new int[]{1, 7, DiagnoseOptions.DEFAULT_WINDOW_BATCH}) {
            double[] p = STUDENT.diagnose(twoMinutes, 100, DiagnoseOptions.builder().optWindowBatch(batch).build())
                    .probabilities();
            assertArrayEquals(all, p, 1e-6, "batch " + batch);
        }
        assertEquals(0, STUDENT.inferenceNetwork().inferenceBufferBytes(), "a long recording's buffers are freed");
        // The mean of the windows: here every window of the 2.5-s period sees the same 10-s loop's parts.
        double[] sum = new double[LABELS.size()];
        int windows = 0;
        for (int s = 0; s + 250 <= twoMinutes.length; s += 125) {
            double[] w = STUDENT.diagnose(Arrays.copyOfRange(twoMinutes, s, s + 250), 100,
                    DiagnoseOptions.of(QualityPolicy.REPORT_ONLY)).probabilities();
            for (int c = 0; c < sum.length; c++) {
                sum[c] += w[c];
            }
            windows++;
        }
        assertEquals(95, windows);
        for (int c = 0; c < sum.length; c++) {
            assertEquals(sum[c] / windows, all[c], 1e-6, "class " + c);
        }
    }

    @Test
    void aMapOfLeadsNamesWhatIsMissingOrExtra() {
        Student two = student(List.of(Lead.I, Lead.II));
        float[] x = clean(100);
        float[] y = QualityGateTest.scale(x, 0.5f);
        Diagnosis byName = two.diagnose(Map.of(Lead.II, x, Lead.I, y), 100);
        assertArrayEquals(two.diagnose(new float[][]{y, x}, 100).probabilities(), byName.probabilities(), 1e-9);
        var missing = assertThrows(IllegalArgumentException.class, () -> two.diagnose(Map.of(Lead.I, y), 100));
        assertEquals("this student reads leads [I, II]; the recording lacks [II]", missing.getMessage());
        var both = assertThrows(IllegalArgumentException.class,
                () -> two.diagnose(Map.of(Lead.I, y, Lead.V1, x), 100));
        assertTrue(both.getMessage().contains("lacks [II] and has extra [V1]"), both.getMessage());
    }
}
