package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Split;
import dev.mvkt.api.SplitName;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.datasets.EcgDatasets;
import dev.mvkt.losses.Losses;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on a split with unlabelled records (issue 13): MVKT distils on every record, the baseline and the teacher
 * learn from the labelled ones alone, and validation and scoring refuse unlabelled records.
 */
class UnlabelledTrainingTest {
    private static final Backbone TINY = Backbones.resnet1dWangBuilder().optWidth(4).build();

    @Test
    void mvktUsesEveryRecordAndTheBaselineOnlyTheLabelledOnes() {
        EcgDataset data = TinyModels.data();
        EcgDataset half = EcgDatasets.hideLabels(data, 0.5, 0);
        int n = data.train().size();
        Student mvkt = TinyModels.teacher().distillTo(TINY).optEpochs(1).optBatchSize(16)
                .optListener(ConsoleProgress.silent()).trainOn(half);
        assertEquals(String.valueOf(n), mvkt.provenance().get("data.train.size"));
        assertEquals(String.valueOf(n / 2), mvkt.provenance().get("data.train.labelled"));
        assertTrue(mvkt.provenance().get("data.train.used").startsWith("all records"),
                mvkt.provenance().get("data.train.used"));
        Student bce = Mvkt.student(TINY).optEpochs(1).optBatchSize(16).optListener(ConsoleProgress.silent())
                .trainOn(half);
        assertEquals("labelled records only", bce.provenance().get("data.train.used"));
        int[] steps = new int[1];
        Mvkt.student(TINY).optEpochs(1).optBatchSize(4).optListener(new dev.mvkt.api.TrainingListener() {
            @Override
            public void onStep(String stage, int epoch, int step, int stepsPerEpoch, double loss) {
                steps[0] = stepsPerEpoch;
            }

            @Override
            public void onEpoch(dev.mvkt.api.EpochReport report) {
            }
        }).trainOn(half);
        assertEquals(n / 2 / 4, steps[0], "the baseline's epoch visits the labelled records only");
        assertTrue(Losses.bce().plus(Losses.mkd().weight(1)).needsTeacher());
    }

    @Test
    void theRecordsAnEpochVisits() {
        boolean[] m = {true, false, true, true, false};
        assertArrayEquals(new int[]{0, 1, 2, 3, 4}, Trainer.usedRecords(m, 3, true));
        assertArrayEquals(new int[]{0, 2, 3}, Trainer.usedRecords(m, 3, false));
        assertArrayEquals(new int[]{0, 1}, Trainer.usedRecords(new boolean[]{true, true}, 2, false));
    }

    @Test
    void validationAndScoresNeedLabels() {
        EcgDataset data = TinyModels.data();
        Split hidden = EcgDatasets.hideLabels(data, 0.5, 0).train();
        EcgDataset badVal = new EcgDataset() {
            @Override
            public Split split(SplitName name) {
                return name == SplitName.VAL ? hidden : data.split(name);
            }

            @Override
            public String identity() {
                return "unlabelled validation";
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> Mvkt.student(TINY).optEpochs(1)
                .optListener(ConsoleProgress.silent()).trainOn(badVal));
        assertTrue(e.getMessage().contains("validation records are unlabelled"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> TinyModels.student().evaluate(hidden));
        assertTrue(f.getMessage().contains("unlabelled"), f.getMessage());
        assertEquals(hidden.size(), TinyModels.student().probabilities(hidden).length);
    }
}
