package dev.mvkt.core;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EpochReport;
import dev.mvkt.api.Evaluation;
import dev.mvkt.api.Lead;
import dev.mvkt.api.TrainingListener;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.datasets.SyntheticEcg;
import dev.mvkt.losses.Losses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole method end to end on a tiny synthetic set and a tiny network (speed, not accuracy, is the point). */
class PipelineTest {
    private static EcgDataset data;
    private static Backbone tiny;
    private static Teacher teacher;
    private static Student student;
    private static final List<EpochReport> REPORTS = new ArrayList<>();

    @BeforeAll
    static void train() {
        data = SyntheticEcg.builder().optSeed(3).optSizes(96, 48, 48).build();
        tiny = Backbones.resnet1dWangBuilder().optWidth(4).build();
        TrainingListener collect = REPORTS::add;
        teacher = Mvkt.teacher(tiny).optEpochs(2).optBatchSize(16).optSeed(1).optListener(collect).trainOn(data);
        student = teacher.distillTo(tiny).optLead(Lead.II).optEpochs(2).optBatchSize(16).optSeed(1)
                .optLoss(Losses.bce().plus(Losses.mkd().weight(1.0))
                        .plus(Losses.clt(dev.mvkt.losses.CltLoss.builder().optNegatives(16)).weight(0.8)))
                .optListener(collect).trainOn(data);
    }

    @Test
    void bothStagesReportEveryEpochAndKeepTheBestOnValidation() {
        assertEquals(4, REPORTS.size());
        assertEquals(List.of("teacher", "teacher", "student", "student"),
                REPORTS.stream().map(EpochReport::stage).toList());
        EpochReport distill = REPORTS.get(3);
        assertTrue(distill.lossParts().keySet().containsAll(List.of("bce", "mkd", "clt")), distill.toString());
        for (EpochReport r : REPORTS) {
            assertTrue(Double.isFinite(r.loss()) && r.loss() > 0, r.toString());
            assertTrue(r.valAuc() >= 0 && r.valAuc() <= 1, r.toString());
        }
        double bestTeacherVal = Math.max(REPORTS.get(0).valAuc(), REPORTS.get(1).valAuc());
        assertEquals(String.valueOf(bestTeacherVal), teacher.provenance().get("training.bestValAuc"));
    }

    @Test
    void evaluationHasAllMetricsInRange() {
        Evaluation e = student.evaluate(data.test());
        assertEquals(48, e.size());
        assertEquals(SyntheticEcg.LABELS, e.labels());
        for (double v : new double[]{e.macroAuc(), e.accuracy(), e.macroF1()}) {
            assertTrue(v >= 0 && v <= 1, "metric " + v);
        }
    }

    @Test
    void provenanceRecordsWhatMadeTheStudent() {
        var p = student.provenance();
        assertEquals("student", p.get("stage"));
        assertEquals("resnet1d_wang", p.get("backbone.name"));
        assertEquals("4", p.get("backbone.width"));
        assertEquals("[II]", p.get("leads"));
        assertEquals("1.0", p.get("loss.mkd.weight"));
        assertEquals("0.8", p.get("loss.clt.weight"));
        assertEquals("16", p.get("loss.clt.negatives"));
        assertEquals("1", p.get("training.seed"));
        assertEquals(data.identity(), p.get("data.identity"));
        assertEquals("96", p.get("data.train.size"));
        assertEquals("teacher", p.get("teacher.stage"));
        assertNotNull(p.get("versions.dl4j"));
        assertFalse(p.get("versions.mvkt").contains("${"), "version is filtered in by the build");
    }

    @Test
    void saveLoadRoundTripPredictsIdentically(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.mvkt");
        student.save(f);
        Student back = Student.load(f);
        assertEquals(student.provenance(), back.provenance());
        assertEquals(student.leads(), back.leads());
        float[] leadII = data.test().record(0).lead(Lead.II);
        assertArrayEquals(student.diagnose(leadII, 100).probabilities(), back.diagnose(leadII, 100).probabilities(),
                1e-6);
        assertEquals(student.evaluate(data.test()).macroAuc(), back.evaluate(data.test()).macroAuc(), 1e-9);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void damagedOrTruncatedFileIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.mvkt");
        student.save(f);
        byte[] bytes = Files.readAllBytes(f);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x5A;
        Path damaged = dir.resolve("damaged.mvkt");
        Files.write(damaged, flipped);
        var e = assertThrows(ModelFormatException.class, () -> Student.load(damaged));
        assertTrue(e.getMessage().startsWith(damaged.toString()), e.getMessage());
        Path truncated = dir.resolve("truncated.mvkt");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        var t = assertThrows(ModelFormatException.class, () -> Student.load(truncated));
        assertTrue(t.getMessage().contains("truncated") || t.getMessage().contains("network"), t.getMessage());
    }

    @Test
    void teacherRoundTripsToo(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.mvkt");
        teacher.save(f);
        assertEquals(teacher.evaluate(data.test()).macroAuc(), Teacher.load(f).evaluate(data.test()).macroAuc(),
                1e-9);
        var e = assertThrows(ModelFormatException.class, () -> Student.load(f));
        assertTrue(e.getMessage().contains("holds a teacher"), e.getMessage());
    }

    @Test
    void diagnoseAcceptsAnySamplingRateAndLength() {
        float[] leadII = data.test().record(1).lead(Lead.II);
        Diagnosis at100 = student.diagnose(leadII, 100);
        float[] at500 = Resample.resample(leadII, 100, 500);
        Diagnosis d500 = student.diagnose(at500, 500);
        for (int c = 0; c < at100.probabilities().length; c++) {
            assertEquals(at100.probabilities()[c], d500.probabilities()[c], 0.05, "class " + c);
        }
        float[] thirty = new float[3000];
        for (int i = 0; i < thirty.length; i++) {
            thirty[i] = leadII[i % leadII.length];
        }
        assertEquals(5, student.diagnose(thirty, 100).probabilities().length);
        float[] fiveSeconds = java.util.Arrays.copyOf(at500, 2500);
        assertEquals(5, student.diagnose(fiveSeconds, 500).probabilities().length);
    }

    @Test
    void diagnoseRefusesBadInputClearly() {
        var nan = new float[1000];
        nan[17] = Float.NaN;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> student.diagnose(nan, 100)).getMessage()
                .contains("sample 17"));
        // One second of a flat line is a recording, just an unusable one: an abstention that says why.
        Diagnosis oneSecond = student.diagnose(new float[100], 100);
        assertTrue(oneSecond.abstained(), oneSecond.toString());
        assertTrue(oneSecond.quality().messages().stream().anyMatch(m -> m.contains("at least 2.0 s")),
                oneSecond.quality().toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> student.diagnose(new float[1000], 0))
                .getMessage().contains("sampling rate"));
    }

    @Test
    void lossNeedingATeacherIsRefusedWithoutOne() {
        var e = assertThrows(IllegalStateException.class, () -> Mvkt.student(tiny).optEpochs(1)
                .optLoss(Losses.bce().plus(Losses.mkd().weight(1))).optListener(ConsoleProgress.silent())
                .trainOn(data));
        assertTrue(e.getMessage().contains("needs a teacher"), e.getMessage());
    }

    @Test
    void builderNamesBadValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mvkt.teacher(tiny).optEpochs(0).trainOn(data))
                .getMessage().contains("epochs"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Mvkt.teacher(tiny).optLearningRate(-1).trainOn(data)).getMessage().contains("learningRate"));
    }
}
