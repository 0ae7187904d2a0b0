package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Evaluation;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.DecayScope;
import dev.mvkt.datasets.SyntheticEcg;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The official code's recipe options reach training and the model: fixed thresholds, no standardisation, decay. */
class RecipeOptionsTest {
    private static EcgDataset data;
    private static final Backbone TINY = Backbones.resnet1dWangBuilder().optWidth(4).optHeadHidden(8).build();

    @BeforeAll
    static void data() {
        data = SyntheticEcg.builder().optSeed(5).optSizes(64, 32, 32).build();
    }

    @Test
    void fixedHalfThresholdsAreKeptAndUsedByEvaluate() {
        Teacher half = Mvkt.teacher(TINY).optEpochs(1).optBatchSize(16).optListener(ConsoleProgress.silent())
                .optThresholds(Thresholds.FIXED_HALF).trainOn(data);
        Evaluation e = half.evaluate(data.test());
        for (int c = 0; c < data.labels().size(); c++) {
            assertEquals(0.5, half.model.thresholds()[c], 0.0, "class " + c);
            assertEquals(0.5, e.threshold(c), 0.0, "class " + c);
        }
        assertEquals("FIXED_HALF", half.provenance().get("training.thresholds"));
        Teacher chosen = Mvkt.teacher(TINY).optEpochs(1).optBatchSize(16).optListener(ConsoleProgress.silent())
                .trainOn(data);
        boolean anyOther = false;
        for (double t : chosen.model.thresholds()) {
            anyOther |= t != 0.5;
        }
        assertEquals(true, anyOther, "validation-chosen thresholds are not all 0.5");
        assertEquals("VALIDATION_F1", chosen.provenance().get("training.thresholds"));
    }

    @Test
    void withoutStandardisationTheNetworkSeesMillivolts() {
        Teacher raw = Mvkt.teacher(TINY).optEpochs(1).optBatchSize(16).optListener(ConsoleProgress.silent())
                .optStandardize(false).trainOn(data);
        assertEquals(Standardizer.NONE, raw.model.standardizer());
        assertEquals("false", raw.provenance().get("training.standardize"));
        assertEquals("0.0", raw.provenance().get("standardize.mean"));
        assertEquals("1.0", raw.provenance().get("standardize.std"));
        Student baseline = Mvkt.student(TINY).optLead(dev.mvkt.api.Lead.I).optEpochs(1).optBatchSize(16)
                .optListener(ConsoleProgress.silent()).optStandardize(false).trainOn(data);
        assertEquals(Standardizer.NONE, baseline.model.standardizer());
        Teacher fitted = Mvkt.teacher(TINY).optEpochs(1).optBatchSize(16).optListener(ConsoleProgress.silent())
                .trainOn(data);
        assertNotEquals(Standardizer.NONE, fitted.model.standardizer());
    }

    @Test
    void theDecayScopeIsRecorded() {
        Teacher t = Mvkt.teacher(TINY).optEpochs(1).optBatchSize(16).optListener(ConsoleProgress.silent())
                .optWeightDecayScope(DecayScope.WEIGHTS_ONLY).trainOn(data);
        assertEquals("WEIGHTS_ONLY", t.provenance().get("training.weightDecayScope"));
        assertEquals("ALL_PARAMETERS", Mvkt.teacher(TINY).optEpochs(1).optBatchSize(16)
                .optListener(ConsoleProgress.silent()).trainOn(data).provenance().get("training.weightDecayScope"));
    }
}
