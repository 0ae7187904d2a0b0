package dev.mvkt.backbones;

import dev.mvkt.backbones.engine.Engine;
import org.deeplearning4j.nn.gradient.Gradient;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EngineOptions}: each switch changes the engine path, never the result beyond float rounding. */
class EngineOptionsTest {

    /** The fast path and DL4J's own (oneDNN {@code batchnorm_bp}) give the same network gradient. */
    @Test
    void networkGradientEqualsDl4jsPath() {
        boolean oneDnn = Engine.oneDnnLoaded();
        Backbone b = Backbones.resnet1dWangBuilder().optWidth(6).optDropout(0).build();
        NetworkSpec spec = NetworkSpec.of(2, 3, 11);
        EcgNetwork fast = b.build(spec);
        EcgNetwork plain = b.build(spec.withEngine(EngineOptions.builder().optFastBatchNorm(false).build()));
        int[] fastBns = Engine.batchNormHelpers(fast.graph());
        assertEquals(0, Engine.batchNormHelpers(plain.graph())[0]);
        assertEquals(oneDnn ? fastBns[1] : 0, fastBns[0], "fast backward installed wherever oneDNN's helper is");
        assertEquals(fast.graph().params(), plain.graph().params(), "same seed, same initial parameters");

        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 40, 1).subi(0.5).muli(3);
        INDArray dLogits = Nd4j.rand(DataType.FLOAT, 4, 3).subi(0.5);
        INDArray dFeatures = Nd4j.rand(DataType.FLOAT, 4, fast.featureDim()).subi(0.5);
        INDArray gFast = grad(fast, x, dLogits, dFeatures);
        INDArray gPlain = grad(plain, x, dLogits, dFeatures);
        double scale = gPlain.amaxNumber().doubleValue();
        double diff = gFast.sub(gPlain).amaxNumber().doubleValue();
        assertTrue(scale > 0);
        assertTrue(diff <= 1e-4 * scale, "max |fast − plain| = " + diff + " for max |grad| = " + scale);

        // A training step moves the running statistics by the batch statistics, which the fast forward computed.
        fast.trainStep(x, o -> new EcgNetwork.Outputs(dLogits.div(4), dFeatures.div(4)));
        plain.trainStep(x, o -> new EcgNetwork.Outputs(dLogits.div(4), dFeatures.div(4)));
        int compared = 0;
        for (var e : plain.graph().paramTable().entrySet()) {
            String key = e.getKey();
            if (key.endsWith("_mean") || key.endsWith("_var") || key.endsWith("_log10stdev")) {
                INDArray want = e.getValue();
                INDArray got = fast.graph().getParam(e.getKey());
                double d = want.sub(got).amaxNumber().doubleValue();
                assertTrue(d <= 1e-5 * Math.max(1, want.amaxNumber().doubleValue()), e.getKey() + ": " + d);
                compared++;
            }
        }
        assertTrue(compared >= 2 * fastBns[1], "running statistics compared: " + compared);
    }

    private static INDArray grad(EcgNetwork net, INDArray x, INDArray dLogits, INDArray dFeatures) {
        Gradient g = net.gradient(x, o -> new EcgNetwork.Outputs(dLogits, dFeatures));
        return g.gradient().dup();
    }

    @Test
    void optionsAreValuesAndBuildersAreReusable() {
        EngineOptions.Builder b = EngineOptions.builder().optTeacherCache(false);
        EngineOptions one = b.build();
        EngineOptions two = b.optFastBatchNorm(false).build();
        assertNotEquals(EngineOptions.defaults(), EngineOptions.builder().optFastLayers(false).build());
        assertEquals(false, EngineOptions.defaults().toBuilder().optFastLayers(false).build().toBuilder().build()
                .fastLayers());
        assertEquals(true, one.fastBatchNorm(), "building again does not change what was built");
        assertEquals(false, two.fastBatchNorm());
        assertEquals(one, one.toBuilder().build());
        assertNotEquals(one, two);
        assertEquals(EngineOptions.defaults(), EngineOptions.builder().build());
        assertEquals(java.util.List.of("fastBatchNorm", "directInference", "teacherCache", "fastLayers"),
                java.util.List.copyOf(EngineOptions.defaults().toMap().keySet()));
    }
}
