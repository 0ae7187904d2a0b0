package dev.mvkt.backbones;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The folded inference network computes what the trained one computes, with fewer layers. */
class InferenceFoldingTest {

    @Test
    void foldedNetworksMatchTheirSourceOnEveryBackbone() {
        for (Backbone b : TinyZoo.all()) {
            EcgNetwork net = b.build(new NetworkSpec(2, 3, 5, new Adam(1e-2), 0));
            INDArray x = Nd4j.rand(DataType.FLOAT, 6, 2, 64, 1).subi(0.5).muli(4);
            // A few steps move the running statistics and the batch-norm parameters away from their initial values.
            for (int i = 0; i < 3; i++) {
                net.trainStep(x, o -> new EcgNetwork.Outputs(o.logits().sub(0.3).div(6), null));
            }
            EcgNetwork folded = net.forInference();
            long bnBefore = countBatchNorms(net);
            long bnAfter = countBatchNorms(folded);
            assertTrue(bnAfter < bnBefore, b.name() + ": " + bnBefore + " batch norms before, " + bnAfter + " after");
            if (b.name().equals("resnet1d_wang")) {
                // Every norm follows a convolution or feeds the head's dense layer: none is left.
                assertEquals(0, bnAfter, "resnet1d_wang batch norms after folding");
            }
            EcgNetwork.Outputs want = net.output(x);
            EcgNetwork.Outputs got = folded.output(x);
            assertClose(want.logits(), got.logits(), b.name() + " logits");
            assertClose(want.features(), got.features(), b.name() + " features");
            assertTrue(folded.isInferenceOnly());
            assertThrows(IllegalStateException.class, () -> folded.trainStep(x, o -> o));
            // The source keeps its own structure and still trains.
            assertEquals(bnBefore, countBatchNorms(net));
            net.trainStep(x, o -> new EcgNetwork.Outputs(o.logits().div(6), null));
        }
    }

    private static long countBatchNorms(EcgNetwork net) {
        return java.util.Arrays.stream(net.graph().getLayers())
                .filter(l -> l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization).count();
    }

    private static void assertClose(INDArray want, INDArray got, String what) {
        double scale = Math.max(1, want.amaxNumber().doubleValue());
        double diff = want.sub(got).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + ": max difference " + diff + " at scale " + scale);
    }
}
