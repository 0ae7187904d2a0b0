package dev.mvkt.core;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.api.EcgDataset;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.datasets.SyntheticEcg;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BatchDiagnosis} against {@link Student#diagnose} on recordings of several rates and lengths. */
class BatchDiagnosisTest {

    @Test
    void equalsDiagnoseRecordByRecordAndWithinFloatRoundingWhenPacked() {
        EcgDataset data = SyntheticEcg.builder().optSizes(32, 16, 8).optDurationSeconds(2.5).build();
        Student s = Mvkt.student(Backbones.resnet1dWangBuilder().optWidth(4).build()).optEpochs(1).optBatchSize(16)
                .optListener(ConsoleProgress.silent()).trainOn(data);
        // Shorter than a window (tiled), one window, several windows, other sampling rates (resampled), and 60 s at
        // 100 Hz: 47 windows, more than diagnose's window batch of 32, so diagnose scores it in two passes.
        List<float[][]> signals = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        double[] hz = {100, 100, 100, 250, 360, 500, 100};
        double[] seconds = {2.0, 2.5, 9.3, 2.5, 6.1, 12, 60};
        for (int i = 0; i < hz.length; i++) {
            float[] x = new float[(int) Math.round(hz[i] * seconds[i])];
            for (int t = 0; t < x.length; t++) {
                x[t] = (float) (Math.sin(2 * Math.PI * 1.2 * t / hz[i]) + 0.3 * Math.sin(2 * Math.PI * 7 * t / hz[i] + i));
            }
            signals.add(new float[][]{x});
            rates.add(hz[i]);
        }
        // The gate's abstentions: a flat line (lead off) and 1.5 s (too short); both are rows of the result.
        signals.add(2, new float[][]{new float[1000]});
        rates.add(2, 100.0);
        signals.add(new float[][]{java.util.Arrays.copyOf(signals.get(1)[0], 150)});
        rates.add(100.0);
        double[] r = rates.stream().mapToDouble(Double::doubleValue).toArray();
        List<Diagnosis> own = BatchDiagnosis.diagnose(s, signals, r, 1);
        List<Diagnosis> packed = BatchDiagnosis.diagnose(s, signals, r, BatchDiagnosis.DEFAULT_BATCH_WINDOWS);
        List<BatchDiagnosis.Outcome> tried = BatchDiagnosis.tryDiagnose(s, signals, r, 8, DiagnoseOptions.defaults());
        assertEquals(signals.size(), own.size());
        assertEquals(signals.size(), packed.size());
        int abstained = 0;
        for (int i = 0; i < signals.size(); i++) {
            Diagnosis d = s.diagnose(signals.get(i)[0], r[i]);
            assertArrayEquals(d.probabilities(), own.get(i).probabilities(), 0.0, "recording " + i);
            assertArrayEquals(d.thresholds(), own.get(i).thresholds(), 0.0);
            assertEquals(d.findings(), own.get(i).findings());
            assertEquals(d.quality(), own.get(i).quality(), "recording " + i);
            assertEquals(d.abstained(), own.get(i).abstained(), "recording " + i);
            assertEquals(d.quality(), packed.get(i).quality(), "recording " + i);
            assertEquals(d.abstained(), packed.get(i).abstained(), "recording " + i);
            assertEquals(d.abstained(), tried.get(i).diagnosis().abstained(), "recording " + i);
            if (d.abstained()) {
                abstained++;
                assertTrue(packed.get(i).findings().isEmpty());
            } else {
                assertArrayEquals(d.probabilities(), packed.get(i).probabilities(), 1e-6, "recording " + i);
                assertArrayEquals(d.probabilities(), tried.get(i).diagnosis().probabilities(), 1e-6, "recording " + i);
            }
        }
        assertEquals(2, abstained, "the flat line and the 1.5-s recording");
        assertTrue(own.get(2).quality().isUnusable() && own.get(signals.size() - 1).quality().isUnusable());
        // The policy travels: REPORT_ONLY scores the flat line, as diagnose does with it.
        DiagnoseOptions report = DiagnoseOptions.of(QualityPolicy.REPORT_ONLY);
        Diagnosis flat = BatchDiagnosis.diagnose(s, List.<float[][]>of(signals.get(2)), new double[]{100}, 1, report).get(0);
        assertTrue(!flat.abstained() && flat.quality().isUnusable(), flat.toString());
        assertArrayEquals(s.diagnose(signals.get(2)[0], 100, report).probabilities(), flat.probabilities(), 0.0);
    }

    @Test
    void aRecordingDiagnoseWouldRefuseIsNamedByIndex() {
        EcgDataset data = SyntheticEcg.builder().optSizes(16, 8, 8).optDurationSeconds(2.5).build();
        Student s = Mvkt.student(Backbones.resnet1dWangBuilder().optWidth(2).build()).optEpochs(1).optBatchSize(16)
                .optListener(ConsoleProgress.silent()).trainOn(data);
        float[] ok = new float[300];
        for (int t = 0; t < ok.length; t++) {
            ok[t] = (float) Math.sin(2 * Math.PI * 1.2 * t / 100);
        }
        float[] nan = ok.clone();
        nan[17] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchDiagnosis.diagnose(s,
                List.of(new float[][]{ok}, new float[][]{nan}), new double[]{100, 100}, 8));
        assertTrue(e.getMessage().startsWith("recording 1: lead I: sample 17 is NaN"), e.getMessage());
        // tryDiagnose keeps the others: diagnose's message where diagnose throws, a diagnosis elsewhere.
        List<BatchDiagnosis.Outcome> o = BatchDiagnosis.tryDiagnose(s, List.of(new float[][]{ok},
                new float[][]{nan}, new float[][]{ok}), new double[]{100, 100, 20}, 8, DiagnoseOptions.defaults());
        assertEquals(3, o.size());
        assertArrayEquals(s.diagnose(ok, 100).probabilities(), o.get(0).diagnosis().probabilities(), 0.0);
        assertTrue(o.get(1).diagnosis() == null && o.get(1).error().startsWith("lead I: sample 17 is NaN"),
                o.get(1).toString());
        String rate = assertThrows(IllegalArgumentException.class, () -> s.diagnose(ok, 20)).getMessage();
        assertEquals(rate, o.get(2).error());
        assertThrows(IllegalArgumentException.class, () -> BatchDiagnosis.diagnose(s, List.<float[][]>of(new float[][]{ok}),
                new double[]{100}, 0));
    }
}
