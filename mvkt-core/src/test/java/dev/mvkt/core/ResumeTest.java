package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EpochReport;
import dev.mvkt.api.Lead;
import dev.mvkt.api.TrainingListener;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.datasets.SyntheticEcg;
import dev.mvkt.losses.CltLoss;
import dev.mvkt.losses.Losses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run killed mid-epoch resumes from its last checkpoint and finishes with a valid model. */
class ResumeTest {
    private static final EcgDataset DATA = SyntheticEcg.builder().optSeed(2).optSizes(64, 32, 32).build();
    private static final Backbone TINY = Backbones.resnet1dWangBuilder().optWidth(4).build();

    /** Dies at the given epoch and step, as a killed process would, after earlier epochs were checkpointed. */
    private static TrainingListener crashAt(int epoch, int step) {
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochReport report) {
            }

            @Override
            public void onStep(String stage, int e, int s, int steps, double loss) {
                if (e == epoch && s == step) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
    }

    @Test
    void teacherAndStudentResumeAfterACrash(@TempDir Path dir) throws Exception {
        var crash = assertThrows(IllegalStateException.class, () -> Mvkt.teacher(TINY).optEpochs(3)
                .optBatchSize(16).optCheckpointDir(dir).optListener(crashAt(2, 2)).trainOn(DATA));
        assertEquals("simulated crash", crash.getMessage());
        try (var files = Files.list(dir)) {
            List<Path> ckpt = files.toList();
            assertEquals(1, ckpt.size(), "one checkpoint, no temporary files: " + ckpt);
            assertTrue(ckpt.get(0).getFileName().toString().startsWith("teacher-"));
        }
        List<EpochReport> reports = new ArrayList<>();
        Teacher teacher = Mvkt.teacher(TINY).optEpochs(3).optBatchSize(16).optCheckpointDir(dir).optResume(true)
                .optListener(reports::add).trainOn(DATA);
        assertEquals(List.of(2, 3), reports.stream().map(EpochReport::epoch).toList(), "epoch 1 is not redone");
        double auc = teacher.evaluate(DATA.test()).macroAuc();
        assertTrue(auc >= 0 && auc <= 1);

        var distill = (java.util.function.Supplier<StudentTrainer>) () -> teacher.distillTo(TINY).optLead(Lead.I)
                .optEpochs(2).optBatchSize(16).optCheckpointDir(dir)
                .optLoss(Losses.bce().plus(Losses.mkd().weight(1)).plus(Losses.clt(CltLoss.builder()
                        .optNegatives(8)).weight(0.8)));
        assertThrows(IllegalStateException.class, () -> distill.get().optListener(crashAt(2, 3)).trainOn(DATA));
        List<EpochReport> studentReports = new ArrayList<>();
        Student student = distill.get().optResume(true).optListener(studentReports::add).trainOn(DATA);
        assertEquals(List.of(2), studentReports.stream().map(EpochReport::epoch).toList());
        assertTrue(studentReports.get(0).lossParts().containsKey("clt"));
        assertEquals(5, student.diagnose(DATA.test().record(0).lead(Lead.I), 100).probabilities().length);

        // Resuming a finished run trains nothing and yields the same model.
        List<EpochReport> none = new ArrayList<>();
        Teacher again = Mvkt.teacher(TINY).optEpochs(3).optBatchSize(16).optCheckpointDir(dir).optResume(true)
                .optListener(none::add).trainOn(DATA);
        assertTrue(none.isEmpty());
        assertEquals(auc, again.evaluate(DATA.test()).macroAuc(), 1e-12);
    }

    /** Checkpoints are found by a fingerprint that must read the same in every JVM, whatever the map order. */
    @Test
    void fingerprintTextIgnoresMapOrder() {
        var a = new java.util.LinkedHashMap<String, Object>();
        a.put("width", 4);
        a.put("blocks", Map.of("z", 1, "a", 2));
        var b = new java.util.LinkedHashMap<String, Object>();
        b.put("blocks", new java.util.LinkedHashMap<>(Map.of("a", 2, "z", 1)));
        b.put("width", 4);
        assertEquals("{blocks={a=2, z=1}, width=4}", Trainer.sorted(a));
        assertEquals(Trainer.sorted(a), Trainer.sorted(b));
    }

    @Test
    void anotherRunsCheckpointIsNotUsed(@TempDir Path dir) {
        Mvkt.teacher(TINY).optEpochs(1).optBatchSize(16).optCheckpointDir(dir).optListener(ConsoleProgress.silent())
                .trainOn(DATA);
        List<EpochReport> reports = new ArrayList<>();
        Mvkt.teacher(TINY).optEpochs(1).optBatchSize(16).optSeed(7).optCheckpointDir(dir).optResume(true)
                .optListener(reports::add).trainOn(DATA);
        assertEquals(1, reports.size(), "a different seed is a different run and trains from scratch");
    }

    @Test
    void earlyStoppingStopsOnlyAfterPatienceEpochsWithoutImprovement() {
        List<EpochReport> reports = new ArrayList<>();
        Mvkt.teacher(TINY).optEpochs(6).optBatchSize(16).optEarlyStopping(1).optLearningRate(1e-7)
                .optListener(reports::add).trainOn(DATA);
        assertTrue(reports.get(0).best());
        if (reports.size() < 6) {
            assertFalse(reports.get(reports.size() - 1).best(), "stopped right after an epoch that improved");
        }
        // With patience 1, an epoch that does not improve is the last one.
        for (int i = 0; i < reports.size() - 1; i++) {
            assertTrue(reports.get(i).best(), "training went on after epoch " + (i + 1) + " did not improve");
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mvkt.teacher(TINY).optEarlyStopping(-1)
                .trainOn(DATA)).getMessage().contains("patience"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mvkt.teacher(TINY).optResume(true)
                .trainOn(DATA)).getMessage().contains("checkpoint directory"));
    }
}
