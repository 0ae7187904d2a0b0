package dev.mvkt.core;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.mvkt.api.Diagnosis;
import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.datasets.SyntheticEcg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A student on a lead subset, end to end: distilled from a 12-lead teacher onto a two-electrode patch's leads (I
 * and II), saved, loaded, diagnosed by lead name, exported to ONNX; and a baseline on the six limb leads.
 */
class LeadSubsetEndToEndTest {

    @Test
    void aTwoLeadStudentTrainsSavesLoadsDiagnosesAndExports(@TempDir Path dir) throws Exception {
        EcgDataset data = SyntheticEcg.builder().optSeed(2).optDifficulty(0).optSizes(32, 16, 4).build();
        Backbone tiny = Backbones.resnet1dWangBuilder().optWidth(4).build();
        Teacher teacher = Mvkt.teacher(tiny).optEpochs(1).optBatchSize(16).optListener(ConsoleProgress.silent())
                .trainOn(data);
        List<Lead> patch = List.of(Lead.I, Lead.II);
        Student student = teacher.distillTo(tiny).optLeads(patch).optEpochs(1).optBatchSize(16)
                .optListener(ConsoleProgress.silent()).trainOn(data);
        Path file = dir.resolve("patch.mvkt");
        student.save(file);
        Student loaded = Student.load(file);
        assertEquals(patch, loaded.leads());
        assertEquals("[I, II]", loaded.provenance().get("leads"));

        EcgRecord rec = data.test().record(0);
        Map<Lead, float[]> byName = new EnumMap<>(Lead.class);
        for (Lead l : Lead.STANDARD_12) {
            byName.put(l, rec.lead(l));
        }
        // A 12-lead recording given to a 2-lead student: the error names the extra leads.
        var extra = assertThrows(IllegalArgumentException.class, () -> loaded.diagnose(byName, 100));
        assertTrue(extra.getMessage().contains("has extra [III, aVR, aVL, aVF, V1, V2, V3, V4, V5, V6]"),
                extra.getMessage());
        var missing = assertThrows(IllegalArgumentException.class,
                () -> loaded.diagnose(Map.of(Lead.I, rec.lead(Lead.I)), 100));
        assertTrue(missing.getMessage().contains("lacks [II]"), missing.getMessage());

        Diagnosis d = loaded.diagnose(Map.of(Lead.II, rec.lead(Lead.II), Lead.I, rec.lead(Lead.I)), 100);
        assertFalse(d.abstained(), d.toString());
        assertTrue(d.quality().isOk(), d.quality().toString());
        double[] before = student.diagnose(new float[][]{rec.lead(Lead.I), rec.lead(Lead.II)}, 100).probabilities();
        for (int c = 0; c < before.length; c++) {
            assertEquals(before[c], d.probabilities()[c], 1e-6, "save/load keeps class " + c);
        }
        // The same recording at 500 Hz, resampled by diagnose: close to the 100-Hz result.
        Diagnosis at500 = loaded.diagnose(Map.of(Lead.I, Resample.resample(rec.lead(Lead.I), 100, 500),
                Lead.II, Resample.resample(rec.lead(Lead.II), 100, 500)), 500);
        for (int c = 0; c < before.length; c++) {
            assertEquals(before[c], at500.probabilities()[c], 0.05, "class " + c + " at 500 Hz");
        }

        Path onnx = dir.resolve("patch.onnx");
        loaded.exportOnnx(onnx);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] window = new float[2 * 1000];  // one 10-s window at 100 Hz: lead I, then lead II
        System.arraycopy(rec.lead(Lead.I), 0, window, 0, 1000);
        System.arraycopy(rec.lead(Lead.II), 0, window, 1000, 1000);
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(window), new long[]{1, 2, 1000});
             OrtSession.Result r = session.run(Map.of("ecg", x))) {
            assertEquals("I,II", session.getMetadata().getCustomMetadata().get("leads"));
            float[] p = ((float[][]) r.get("probabilities").orElseThrow().getValue())[0];
            for (int c = 0; c < p.length; c++) {
                assertEquals(d.probabilities()[c], p[c], 1e-4, "ONNX class " + c);
            }
        }
    }

    @Test
    void aSixLimbLeadBaselineReadsItsLeadsByName() {
        EcgDataset data = SyntheticEcg.builder().optSeed(4).optDifficulty(0).optSizes(16, 8, 2).build();
        List<Lead> limb = Lead.STANDARD_12.subList(0, 6);
        Student s = Mvkt.student(Backbones.resnet1dWangBuilder().optWidth(4).build()).optLeads(limb).optEpochs(1)
                .optBatchSize(8).optListener(ConsoleProgress.silent()).trainOn(data);
        assertEquals(limb, s.leads());
        EcgRecord rec = data.test().record(1);
        Map<Lead, float[]> signals = new EnumMap<>(Lead.class);
        for (Lead l : limb) {
            signals.put(l, rec.lead(l));
        }
        Diagnosis d = s.diagnose(signals, 100);
        assertFalse(d.abstained(), d.toString());
        assertEquals(SyntheticEcg.LABELS.size(), d.probabilities().length);
        signals.put(Lead.AVF, new float[1000]); // aVF's electrode came off
        Diagnosis off = s.diagnose(signals, 100);
        assertTrue(off.abstained(), off.toString());
        assertEquals(Lead.AVF, off.quality().issues().get(0).lead());
    }
}
