package dev.mvkt.core;

import dev.mvkt.api.LossContext;
import dev.mvkt.api.LossValue;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.backbones.NetworkSpec;
import dev.mvkt.losses.Losses;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark hook runs the trainer's step: the loss's terms, the network's Adam update, the heads. */
class BenchmarkStepTest {

    @Test
    void aDistillationStepTrainsTheStudentWithTheFullLoss() {
        var backbone = Backbones.resnet1dWangBuilder().optWidth(4).build();
        EcgNetwork student = backbone.build(new NetworkSpec(1, 3, 1, new org.nd4j.linalg.learning.config.Adam(1e-3),
                1e-4));
        EcgNetwork teacher = backbone.build(NetworkSpec.of(2, 3, 2)).forInference();
        int n = 40;
        float[][] labels = new float[n][3];
        for (int i = 0; i < n; i++) {
            labels[i][i % 3] = 1;
            labels[i][(i / 3) % 3] = 1;
        }
        var loss = Losses.bce().plus(Losses.mkd().weight(1.0)).plus(Losses.clt().weight(0.8));
        BenchmarkStep step = BenchmarkStep.of(student, teacher.featureDim(), loss, new LossContext(n, labels, 0),
                1e-3, 0);
        int[] idx = {0, 5, 9, 17};
        double[][] y = new double[idx.length][];
        for (int k = 0; k < idx.length; k++) {
            y[k] = new double[]{labels[idx[k]][0], labels[idx[k]][1], labels[idx[k]][2]};
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, idx.length, 1, 64, 1);
        EcgNetwork.Outputs t = teacher.output(Nd4j.rand(DataType.FLOAT, idx.length, 2, 64, 1));
        INDArray before = student.graph().params().dup();
        LossValue v = step.run(x, y, idx, t);
        assertTrue(Double.isFinite(v.value()), "loss " + v.value());
        assertEquals(3, v.parts().size(), "bce, mkd and clt each contribute: " + v.parts());
        assertFalse(before.equalsWithEps(student.graph().params(), 0), "the student's parameters moved");
        assertEquals(1, student.graph().getIterationCount(), "one optimiser step");
    }
}
