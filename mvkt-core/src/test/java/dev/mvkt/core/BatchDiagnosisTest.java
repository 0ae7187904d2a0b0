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
        // Shorter than a window (tiled), one window, several windows, and other sampling rates (resampled).
        List<float[][]> signals = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        double[] hz = {100, 100, 100, 250, 360, 500};
        double[] seconds = {2.0, 2.5, 9.3, 2.5, 6.1, 12};
        for (int i = 0; i < hz.length; i++) {
            float[] x = new float[(int) Math.round(hz[i] * seconds[i])];
            for (int t = 0; t < x.length; t++) {
                x[t] = (float) (Math.sin(2 * Math.PI * 1.2 * t / hz[i]) + 0.3 * Math.sin(2 * Math.PI * 7 * t / hz[i] + i));
            }
            signals.add(new float[][]{x});
            rates.add(hz[i]);
        }
        double[] r = rates.stream().mapToDouble(Double::doubleValue).toArray();
        List<Diagnosis> own = BatchDiagnosis.diagnose(s, signals, r, 1);
        List<Diagnosis> packed = BatchDiagnosis.diagnose(s, signals, r, BatchDiagnosis.DEFAULT_BATCH_WINDOWS);
        assertEquals(signals.size(), own.size());
        for (int i = 0; i < signals.size(); i++) {
            Diagnosis d = s.diagnose(signals.get(i)[0], r[i]);
            assertArrayEquals(d.probabilities(), own.get(i).probabilities(), 0.0, "recording " + i);
            assertArrayEquals(d.thresholds(), own.get(i).thresholds(), 0.0);
            assertEquals(d.findings(), own.get(i).findings());
            assertArrayEquals(d.probabilities(), packed.get(i).probabilities(), 1e-6, "recording " + i);
        }
    }

    @Test
    void aRecordingDiagnoseWouldRefuseIsNamedByIndex() {
        EcgDataset data = SyntheticEcg.builder().optSizes(16, 8, 8).optDurationSeconds(2.5).build();
        Student s = Mvkt.student(Backbones.resnet1dWangBuilder().optWidth(2).build()).optEpochs(1).optBatchSize(16)
                .optListener(ConsoleProgress.silent()).trainOn(data);
        float[] ok = new float[300];
        float[] nan = new float[300];
        nan[17] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchDiagnosis.diagnose(s,
                List.of(new float[][]{ok}, new float[][]{nan}), new double[]{100, 100}, 8));
        assertTrue(e.getMessage().startsWith("recording 1: lead I: sample 17 is NaN"), e.getMessage());
        IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class,
                () -> BatchDiagnosis.check(s, new float[][]{new float[100]}, 100));
        assertTrue(shortOne.getMessage().contains("at least 2.0 s"), shortOne.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchDiagnosis.diagnose(s, List.<float[][]>of(new float[][]{ok}),
                new double[]{100}, 0));
    }
}
