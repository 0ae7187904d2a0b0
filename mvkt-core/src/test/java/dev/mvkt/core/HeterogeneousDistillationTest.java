package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EpochReport;
import dev.mvkt.api.Evaluation;
import dev.mvkt.api.Lead;
import dev.mvkt.api.TrainingListener;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.datasets.SyntheticEcg;
import dev.mvkt.losses.CltLoss;
import dev.mvkt.losses.Losses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Teacher and student of different architectures (the paper allows it): the student's CLT head projects its own
 * feature size while the teacher's head projects the teacher's, and MKD only needs both to have the same classes.
 * Tiny widths, one epoch each: this checks the plumbing, not accuracy.
 */
class HeterogeneousDistillationTest {
    private static EcgDataset data;

    @BeforeAll
    static void data() {
        data = SyntheticEcg.builder().optSizes(64, 32, 32).build();
    }

    static Stream<Arguments> pairs() {
        // Teacher XResNet1d101 (paper variant: avg ‖ max features, 64 here) → student CNN Hannun (time-averaged
        // features, 8 here). One pair keeps the test short; the backbones' own tests cover each architecture.
        return Stream.of(
                Arguments.of(Backbones.xresnet1d101Builder().optStemWidths(4, 8, 8).optWidths(2, 4, 4, 8)
                        .optLayers(1, 1, 1, 1).build(),
                        Backbones.cnnHannunBuilder().optFilters(4).optBlocks(4).build()));
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void aTeacherDistilsIntoAStudentOfAnotherArchitecture(Backbone teacherBackbone, Backbone studentBackbone) {
        List<EpochReport> reports = new ArrayList<>();
        TrainingListener silent = ConsoleProgress.silent();
        TrainingListener collect = r -> {
            silent.onEpoch(r);
            reports.add(r);
        };
        Teacher teacher = Mvkt.teacher(teacherBackbone).optEpochs(1).optBatchSize(16).optSeed(1)
                .optListener(collect).trainOn(data);
        Student student = teacher.distillTo(studentBackbone).optLead(Lead.I).optEpochs(1).optBatchSize(16)
                .optSeed(1)
                .optLoss(Losses.bce().plus(Losses.mkd().weight(1.0))
                        .plus(Losses.clt(CltLoss.builder().optNegatives(16)).weight(0.8)))
                .optListener(collect).trainOn(data);

        assertEquals(teacherBackbone.name(), teacher.network().architecture());
        assertEquals(studentBackbone.name(), student.network().architecture());
        assertEquals(12, teacher.network().inputLeads());
        assertEquals(1, student.network().inputLeads());
        assertNotEquals(teacher.network().featureDim(), student.network().featureDim(),
                "the pair really has different feature sizes");
        assertEquals(studentBackbone.name(), student.provenance().get("backbone.name"));
        assertEquals(teacherBackbone.name(), student.provenance().get("teacher.backbone.name"));

        assertEquals(2, reports.size());
        EpochReport distill = reports.get(1);
        assertTrue(distill.lossParts().keySet().containsAll(List.of("bce", "mkd", "clt")), distill.toString());
        for (EpochReport r : reports) {
            assertTrue(Double.isFinite(r.loss()) && r.loss() > 0, r.toString());
        }
        Evaluation e = student.evaluate(data.test());
        assertEquals(32, e.size());
        assertTrue(e.macroAuc() >= 0 && e.macroAuc() <= 1, "AUC " + e.macroAuc());
    }
}
