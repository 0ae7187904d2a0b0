package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.datasets.SyntheticEcg;
import dev.mvkt.losses.Losses;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Learning-rate schedules reach the optimiser; students can start from the teacher's weights. */
class ScheduleAndInitTest {
    private static EcgDataset data;
    private static final Backbone TINY = Backbones.resnet1dWangBuilder().optWidth(4).build();

    @BeforeAll
    static void data() {
        data = SyntheticEcg.builder().optSizes(48, 16, 16).build();
    }

    @Test
    void thePaperCodesScheduleWarmsUpThenSteps() {
        LearningRateSchedule s = LearningRateSchedule.paperCode();
        // method.md (corrected): 1e-4·(epoch + 1) up to 1.5e-3, then the base rate 1e-3, 1e-4 from 40, 1e-5 from 70.
        double[] lr = new double[100];
        for (int e = 0; e < 100; e++) {
            lr[e] = e < 15 ? 1e-4 * (e + 1) : e < 40 ? 1e-3 : e < 70 ? 1e-4 : 1e-5;
        }
        for (int e = 0; e < 100; e++) {
            assertEquals(lr[e], 1e-3 * s.factor(e), 1e-15, "epoch " + e);
        }
        double[][] want = {{0, 0.1}, {9, 1.0}, {14, 1.5}, {15, 1.0}, {39, 1.0}, {40, 0.1}, {69, 0.1}, {70, 0.01},
                {99, 0.01}};
        for (double[] w : want) {
            assertEquals(w[1], s.factor((int) w[0]), 1e-12, "epoch " + (int) w[0]);
        }
        assertEquals(1.0, LearningRateSchedule.constant().factor(57));
        assertEquals("constant", LearningRateSchedule.constant().name());
        assertTrue(s.name().startsWith("warmupThenBaseSteps(15, 0.1, 0.1"), s.name());
    }

    @Test
    void badSchedulesAreRefusedNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.warmupThenSteps(5, 0.1, 0.1, 3));
        assertTrue(e.getMessage().contains("milestone 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupThenSteps(2, -1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupThenSteps(2, 0.1, 0));
        var zero = assertThrows(IllegalArgumentException.class, () -> Mvkt.teacher(TINY).optEpochs(3)
                .optListener(ConsoleProgress.silent()).optLearningRateSchedule(epoch -> epoch == 2 ? 0 : 1)
                .trainOn(data));
        assertTrue(zero.getMessage().contains("epoch 2"), zero.getMessage());
    }

    @Test
    void theNetworksAdamFollowsTheScheduleEpochByEpoch() {
        LearningRateSchedule s = LearningRateSchedule.warmupThenSteps(2, 0.5, 0.1, 2);
        Teacher t = Mvkt.teacher(TINY).optEpochs(3).optBatchSize(16).optLearningRate(2e-3)
                .optLearningRateSchedule(s).optListener(ConsoleProgress.silent()).trainOn(data);
        EcgNetwork net = t.network();
        assertEquals(3, net.graph().getEpochCount());
        Adam adam = (Adam) ((BaseLayer) net.graph().getLayers()[0].conf().getLayer()).getIUpdater();
        for (int e = 0; e < 3; e++) {
            assertEquals(2e-3 * s.factor(e), adam.getLearningRate(0, e), 1e-12, "epoch " + e);
        }
        assertEquals(s.name(), t.provenance().get("training.learningRateSchedule"));
    }

    @Test
    void aTinyScheduledRateBarelyMovesTheWeights() {
        // Same seed, same data: only the rate differs, so the convolution weights' change measures it.
        double moved = weightChange(LearningRateSchedule.constant());
        double barely = weightChange(epoch -> 1e-6);
        assertTrue(barely < moved * 1e-3, "change " + barely + " at a 1e-6 factor against " + moved);
    }

    private static double weightChange(LearningRateSchedule s) {
        TeacherTrainer trainer = Mvkt.teacher(TINY).optEpochs(1).optBatchSize(16).optSeed(5)
                .optLearningRateSchedule(s).optListener(ConsoleProgress.silent());
        Map<String, INDArray> before = trainer.buildNetwork(12, data.labels().size()).graph().paramTable();
        Map<String, INDArray> after = trainer.trainOn(data).network().graph().paramTable();
        double sum = 0;
        for (var e : after.entrySet()) {
            if (e.getKey().endsWith("_W")) {
                sum += e.getValue().sub(before.get(e.getKey())).norm1Number().doubleValue();
            }
        }
        return sum;
    }

    @Test
    void aStudentCanStartFromTheTeachersWeights() {
        Teacher t = Mvkt.teacher(TINY).optEpochs(1).optBatchSize(16).optListener(ConsoleProgress.silent())
                .trainOn(data);
        EcgNetwork fresh = Mvkt.student(TINY).buildNetwork(1, data.labels().size());
        Map<String, INDArray> teacherParams = t.network().graph().paramTable();
        int[] copied = StudentTrainer.copyMatching(t.network(), fresh, false);
        int sameShape = 0;
        for (var e : fresh.graph().paramTable().entrySet()) {
            INDArray src = teacherParams.get(e.getKey());
            if (src != null && java.util.Arrays.equals(src.shape(), e.getValue().shape())) {
                sameShape++;
                assertEquals(src, e.getValue(), e.getKey());
            } else {
                assertFalse(src != null && src.equals(e.getValue()), e.getKey());
            }
        }
        assertEquals(sameShape, copied[0]);
        // Everything but the first convolution, which reads 1 lead instead of 12.
        assertEquals(copied[1] - 1, copied[0]);

        Student s = t.distillTo(TINY).optInitFromTeacher(true).optEpochs(1).optBatchSize(16)
                .optLoss(Losses.bce()).optListener(ConsoleProgress.silent()).trainOn(data);
        assertTrue(s.provenance().get("student.init").startsWith("teacher: " + copied[0] + " of " + copied[1]),
                s.provenance().get("student.init"));
        var noTeacher = assertThrows(IllegalArgumentException.class, () -> Mvkt.student(TINY)
                .optInitFromTeacher(true).optEpochs(1).optListener(ConsoleProgress.silent()).trainOn(data));
        assertTrue(noTeacher.getMessage().contains("needs a teacher"), noTeacher.getMessage());
    }
}
