package dev.mvkt.backbones;

import dev.mvkt.backbones.engine.Engine;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mvkt's training engine path and DL4J's own ({@link EngineOptions} switches off) give the same gradient and the
 * same parameters and running statistics after an SGD step with L2, on every backbone of the zoo (tiny widths),
 * within 1e-4 of the largest value; three steps, each from the same state on both paths.
 */
class TrainingEquivalenceTest {

    @Test
    void everyBackboneTrainsAlikeOnBothPaths() {
        EngineOptions dl4j = EngineOptions.builder().optFastBatchNorm(false).optFastLayers(false).build();
        for (Backbone b : TinyZoo.all()) {
            // SGD: parameters after a step are p − lr·(g + l2·p), so they compare the update path itself. (Adam's
            // first steps move each parameter by about lr·sign(g), which turns a float difference in a near-zero
            // gradient entry into a difference of lr.)
            NetworkSpec spec = new NetworkSpec(2, 3, 5, new Sgd(0.05), 1e-4);
            EcgNetwork fast = b.build(spec);
            EcgNetwork plain = b.build(spec.withEngine(dl4j));
            assertEquals(0, Engine.poolingLayers(plain.graph())[0], b.name());
            int[] pools = Engine.poolingLayers(fast.graph());
            assertEquals(pools[1], pools[0], b.name() + ": every pooling layer runs mvkt's loops");
            assertEquals(0, Engine.reluLayers(plain.graph())[0], b.name());
            assertTrue(Engine.reluLayers(fast.graph())[0] > 0, b.name() + ": ReLU layers run mvkt's lean layer");
            assertEquals(fast.graph().params(), plain.graph().params(), b.name() + ": same initial parameters");
            for (int step = 0; step < 3; step++) {
                if (step > 0) {
                    // Each step starts both paths from the same state, so that a float difference of one step is
                    // not compounded by the next.
                    fast.graph().params().assign(plain.graph().params());
                }
                // An odd length: partial ceil-mode windows and padded max-pool windows.
                INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 77 + step, 1).subi(0.5).muli(4);
                INDArray dLogits = Nd4j.rand(DataType.FLOAT, 4, 3).subi(0.5).divi(4);
                INDArray dFeatures = Nd4j.rand(DataType.FLOAT, 4, fast.featureDim()).subi(0.5).divi(4);
                // The same dropout masks on both paths.
                Nd4j.getRandom().setSeed(100 + step);
                INDArray gFast = fast.gradient(x, o -> new EcgNetwork.Outputs(dLogits, dFeatures)).gradient().dup();
                Nd4j.getRandom().setSeed(100 + step);
                INDArray gPlain = plain.gradient(x, o -> new EcgNetwork.Outputs(dLogits, dFeatures)).gradient()
                        .dup();
                assertClose(gPlain, gFast, b.name() + " gradient, step " + step);
                Nd4j.getRandom().setSeed(200 + step);
                fast.trainStep(x, o -> new EcgNetwork.Outputs(dLogits, dFeatures));
                Nd4j.getRandom().setSeed(200 + step);
                plain.trainStep(x, o -> new EcgNetwork.Outputs(dLogits, dFeatures));
                assertClose(plain.graph().params(), fast.graph().params(), b.name() + " parameters after step "
                        + step);
            }
        }
    }

    private static void assertClose(INDArray want, INDArray got, String what) {
        double scale = want.amaxNumber().doubleValue();
        double diff = want.sub(got).amaxNumber().doubleValue();
        assertTrue(scale > 0, what);
        assertTrue(diff <= 1e-4 * scale, what + ": max |mvkt − DL4J| = " + diff + " for max |value| = " + scale);
    }
}
