package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Evaluation;
import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.datasets.SyntheticEcg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calibration temperatures travel with the model and every probability a model gives applies them. */
class CalibratedModelTest {
    private static final double[] T = {2.5, 0.4, 1.7};

    @TempDir
    Path dir;

    private static TrainedModel withTemperatures(TrainedModel m, double[] t) {
        return new TrainedModel(m.kind(), m.network(), m.leads(), m.labels(), m.thresholds(), m.standardizer(),
                m.samplingRate(), m.length(), m.provenance(), t);
    }

    private static float[] signal(int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (0.8 * Math.sin(i * 0.21) + 0.3 * Math.sin(i * 0.05));
        }
        return s;
    }

    @Test
    void saveAndLoadKeepTheTemperaturesAndDiagnoseAppliesThem() throws IOException {
        TrainedModel raw = ExportOnnxTest.model("student", List.of(Lead.II));
        Path file = dir.resolve("calibrated.mvkt");
        ModelFiles.write(withTemperatures(raw, T), file);
        Student back = Student.load(file);
        assertArrayEquals(T, back.temperatures());
        Student uncalibrated = new Student(raw);
        assertArrayEquals(new double[]{1, 1, 1}, uncalibrated.temperatures());
        // One window (the training length at the training rate): diagnose gives sigmoid(logit / T).
        float[] x = signal(ExportOnnxTest.LENGTH);
        double[] p = back.diagnose(x, 100).probabilities();
        double[] q = uncalibrated.diagnose(x, 100).probabilities();
        for (int c = 0; c < T.length; c++) {
            double logit = Math.log(q[c] / (1 - q[c]));
            assertEquals(TemperatureScaling.sigmoid(logit / T[c]), p[c], 1e-6, "class " + c);
            assertNotEquals(q[c], p[c], 1e-4, "the temperature changes class " + c);
        }
        // A long recording averages calibrated windows.
        double[] longP = back.diagnose(signal(4 * ExportOnnxTest.LENGTH), 100).probabilities();
        assertEquals(3, longP.length);
    }

    @Test
    void aFileWithoutTemperaturesLoadsUncalibrated() throws IOException {
        TrainedModel raw = ExportOnnxTest.model("student", List.of(Lead.II));
        Path file = dir.resolve("old.mvkt");
        ModelFiles.write(withTemperatures(raw, T), file);
        // As a version written before calibration existed: no class.<c>.temperature keys.
        editMeta(file, meta -> meta.keySet().removeIf(k -> ((String) k).endsWith(".temperature")));
        Student old = Student.load(file);
        assertArrayEquals(new double[]{1, 1, 1}, old.temperatures());
        float[] x = signal(ExportOnnxTest.LENGTH);
        assertArrayEquals(new Student(raw).diagnose(x, 100).probabilities(), old.diagnose(x, 100).probabilities(),
                1e-9);
    }

    @Test
    void badTemperaturesAreRefusedNamingTheField() throws IOException {
        TrainedModel raw = ExportOnnxTest.model("student", List.of(Lead.II));
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("0", "class.1.temperature' is '0'");
        cases.put("-2", "class.1.temperature' is '-2'");
        cases.put("NaN", "class.1.temperature' is 'NaN'");
        cases.put("1e9", "class.1.temperature' is '1e9'");
        cases.put("warm", "field 'class.1.temperature' is 'warm'; it must be a number in [0.1, 10.0]");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = dir.resolve("bad" + c.getKey() + ".mvkt");
            ModelFiles.write(withTemperatures(raw, T), file);
            editMeta(file, meta -> meta.put("class.1.temperature", c.getKey()));
            var e = assertThrows(ModelFormatException.class, () -> Student.load(file));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(c.getValue()),
                    e.getMessage());
        }
        // Some classes with a temperature and some without is damage, not an old file.
        Path partial = dir.resolve("partial.mvkt");
        ModelFiles.write(withTemperatures(raw, T), partial);
        editMeta(partial, meta -> meta.remove("class.2.temperature"));
        var e = assertThrows(ModelFormatException.class, () -> Student.load(partial));
        assertTrue(e.getMessage().contains("lacks field 'class.2.temperature'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> withTemperatures(raw, new double[]{1, 1}));
        assertThrows(IllegalArgumentException.class, () -> withTemperatures(raw, new double[]{1, 0.01, 1}));
    }

    /**
     * Training fits the temperatures on validation, records them and the validation NLL and ECE in provenance, and
     * {@code probabilities}, {@code evaluate} and {@code diagnose} give the calibrated values; {@code NONE} keeps T = 1.
     */
    @Test
    void trainingCalibratesOnValidationUnlessToldNot() {
        EcgDataset data = SyntheticEcg.builder().optSeed(4).optSizes(48, 32, 24).build();
        var tiny = Backbones.resnet1dWangBuilder().optWidth(4).build();
        Student s = Mvkt.student(tiny).optEpochs(1).optBatchSize(16).optSeed(2)
                .optListener(ConsoleProgress.silent()).trainOn(data);
        Student none = Mvkt.student(tiny).optEpochs(1).optBatchSize(16).optSeed(2)
                .optCalibration(Calibration.NONE).optListener(ConsoleProgress.silent()).trainOn(data);
        assertArrayEquals(new double[]{1, 1, 1, 1, 1}, none.temperatures());
        assertEquals("NONE", none.provenance().get("calibration.method"));
        assertEquals("TEMPERATURE", s.provenance().get("calibration.method"));
        double[] t = s.temperatures();
        assertTrue(java.util.Arrays.stream(t).allMatch(Calibration::valid), java.util.Arrays.toString(t));
        assertTrue(java.util.Arrays.stream(t).anyMatch(v -> v != 1), "a fitted temperature: "
                + java.util.Arrays.toString(t));
        double before = Double.parseDouble(s.provenance().get("calibration.valNll.before"));
        double after = Double.parseDouble(s.provenance().get("calibration.valNll.after"));
        assertTrue(after <= before, after + " > " + before);
        assertTrue(Double.parseDouble(s.provenance().get("calibration.valEce.after")) >= 0);

        // Same seed, same network: calibration changes the probabilities, never a class's AUC.
        double[][] z = s.logits(data.test());
        double[][] p = s.probabilities(data.test());
        assertArrayEquals(p[0], s.probabilities(z)[0], 1e-12);
        for (int c = 0; c < t.length; c++) {
            assertEquals(TemperatureScaling.sigmoid(z[0][c] / t[c]), p[0][c], 1e-12);
        }
        Evaluation calibrated = s.evaluate(data.test());
        Evaluation plain = none.evaluate(data.test());
        for (int c = 0; c < t.length; c++) {
            assertEquals(plain.auc(c), calibrated.auc(c), 1e-12, "class " + c);
        }
        // The validation thresholds are the F1-best ones of the calibrated validation probabilities.
        Evaluation val = s.evaluate(data.val());
        double[][] pv = s.probabilities(data.val());
        float[][] yv = data.val().labelMatrix();
        for (int c = 0; c < t.length; c++) {
            double[] sc = new double[pv.length];
            boolean[] pos = new boolean[pv.length];
            for (int i = 0; i < pv.length; i++) {
                sc[i] = pv[i][c];
                pos[i] = yv[i][c] > 0.5f;
            }
            assertEquals(Metrics.bestF1Threshold(sc, pos), val.threshold(c), 1e-5, "class " + c);
        }
        float[] x = data.test().record(0).lead(Lead.I);
        double[] d = s.diagnose(x, data.test().samplingRate()).probabilities();
        for (int c = 0; c < t.length; c++) {
            assertEquals(p[0][c], d[c], 1e-5, "diagnose gives the calibrated probability of class " + c);
        }
    }

    /** Rewrites {@code mvkt-model.properties} inside a saved model. */
    /** Edits the model's properties and recomputes its hashes, as a careful editor would. */
    static void editMeta(Path file, Consumer<Map<String, String>> edit) throws IOException {
        ModelZips.write(file, ModelZips.editMeta(ModelZips.read(file), edit, true));
    }
}
