package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.datasets.SyntheticEcg;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bulk scoring lets go of its batch-sized inference buffers; single-ECG diagnosis keeps its small ones. */
class InferenceBuffersTest {

    @Test
    void bulkScoringReleasesItsBuffersAndDiagnosisKeepsSmallOnes() {
        EcgDataset data = SyntheticEcg.builder().optSizes(40, 16, 16).build();
        Student s = Mvkt.student(Backbones.resnet1dWangBuilder().optWidth(4).build()).optEpochs(1).optBatchSize(16)
                .optListener(ConsoleProgress.silent()).trainOn(data);
        assertTrue(s.inferenceNetwork().isDirectInference());
        s.evaluate(data.test());
        assertEquals(0, s.inferenceNetwork().inferenceBufferBytes(), "after evaluate");
        s.probabilities(data.test());
        s.features(data.test());
        assertEquals(0, s.inferenceNetwork().inferenceBufferBytes(), "after probabilities and features");

        float[] leadI = new float[1000];
        for (int i = 0; i < leadI.length; i++) {
            leadI[i] = (float) Math.sin(i / 10.0);
        }
        s.diagnose(leadI, 100.0);
        long kept = s.inferenceNetwork().inferenceBufferBytes();
        assertTrue(kept > 0 && kept < 4L << 20, "one ECG's buffers stay for the next call: " + kept + " bytes");
    }
}
