package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EngineOptions;
import dev.mvkt.datasets.SyntheticEcg;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Engine options set on the training builders reach training, the trained model's inference and provenance. */
class EngineOptionsTrainingTest {
    private static final Backbone TINY = Backbones.resnet1dWangBuilder().optWidth(4).optDropout(0).build();

    @Test
    void switchedOffSpeedUpsReachTrainingInferenceAndProvenance() {
        EcgDataset data = SyntheticEcg.builder().optSizes(32, 16, 16).build();
        Teacher t = Mvkt.teacher(TINY).optEpochs(1).optBatchSize(16).optDeterministic(true)
                .optListener(ConsoleProgress.silent()).trainOn(data);
        EngineOptions off = EngineOptions.builder().optFastBatchNorm(false).optDirectInference(false)
                .optTeacherCache(false).build();
        Student fast = t.distillTo(TINY).optEpochs(2).optBatchSize(16).optDeterministic(true)
                .optListener(ConsoleProgress.silent()).trainOn(data);
        Student plain = t.distillTo(TINY).optEpochs(2).optBatchSize(16).optDeterministic(true).optEngine(off)
                .optListener(ConsoleProgress.silent()).trainOn(data);

        assertEquals(off, plain.network().engineOptions());
        assertFalse(plain.inferenceNetwork().isDirectInference());
        assertTrue(fast.inferenceNetwork().isDirectInference());
        for (String k : new String[]{"fastBatchNorm", "directInference", "teacherCache"}) {
            assertEquals("false", plain.provenance().get("engine.requested." + k), k);
            assertEquals("false", plain.provenance().get("engine.effective." + k), k);
            assertEquals("true", fast.provenance().get("engine.requested." + k), k);
        }
        assertEquals("true", fast.provenance().get("engine.effective.directInference"));
        assertEquals("CPU", plain.provenance().get("engine.backend"));
        assertTrue(plain.provenance().get("engine.os").contains(System.getProperty("os.name")));

        // The switches change the engine path, not the model: the same network on the other path scores alike.
        var x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 1, 250, 1);
        var direct = plain.network().withEngineOptions(EngineOptions.defaults()).forInference();
        assertTrue(direct.isDirectInference());
        var want = plain.inferenceNetwork().logits(x);
        double worst = want.sub(direct.logits(x)).amaxNumber().doubleValue();
        assertTrue(worst < 1e-4 * Math.max(1, want.amaxNumber().doubleValue()), "logits differ by up to " + worst);
    }
}
