package dev.mvkt.backbones.engine;

import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.backbones.EngineOptions;
import dev.mvkt.backbones.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineTest {

    /** The build runs tests on ND4J's oneDNN build; then every convolution must actually use DL4J's helper. */
    @Test
    void oneDnnHelpersRunWhenTheOneDnnBuildIsLoaded() {
        EcgNetwork net = Backbones.resnet1dWangBuilder().optWidth(4).build().build(NetworkSpec.of(12, 3, 0));
        // After ND4J has loaded its backend (the build above): NativeOpsHolder cannot initialise before it.
        String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        boolean oneDnn = build.contains("HAVE_ONEDNN");
        assertEquals(oneDnn, Engine.oneDnnLoaded());
        int[] helpers = Engine.convolutionHelpers(net.graph());
        assertEquals(9, helpers[1]);
        if (oneDnn) {
            assertArrayEquals(new int[]{9, 9}, helpers, "oneDNN is loaded but DL4J's helpers are off");
        } else {
            assertEquals(0, helpers[0]);
        }
        assertEquals("CPU", Engine.backend());
        // The helpers are installed without DL4J's switch: mvkt no longer writes that JVM-wide property.
        assertNull(System.getProperty("org.eclipse.deeplearning4j.helpers.disable"));
    }

    /** The test JVM is configured for the oneDNN build, so this guards the build configuration itself. */
    @Test
    void testBuildLoadsOneDnn() {
        String ext = System.getProperty(Engine.PLATFORM_EXTENSION, "");
        if (ext.contains("onednn")) {
            assertEquals("CPU", Engine.backend());
            String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
            assertTrue(build.contains("HAVE_ONEDNN"), build);
        }
    }

    @Test
    void theVersionCheckReadsTheJarsOnTheClassPath() {
        assertEquals(Engine.SUPPORTED_VERSION, Engine.dl4jVersion());
        assertEquals(Engine.SUPPORTED_VERSION, Engine.nd4jVersion());
        assertTrue(Engine.internalsSupported());
        Map<String, Object> d = Engine.describe(EngineOptions.builder().optDirectInference(false).build());
        assertEquals("CPU", d.get("backend"));
        assertEquals(Engine.SUPPORTED_VERSION, d.get("dl4j"));
        assertEquals(Map.of("fastBatchNorm", Engine.oneDnnLoaded(), "directInference", false, "teacherCache", true,
                        "fastLayers", true),
                d.get("effective"));
    }

    /**
     * With another DL4J version mvkt takes DL4J's plain path: no helpers, no plan, training through the public
     * calls, and the same outputs and gradients as the internal path.
     */
    @Test
    void anotherVersionRunsThePlainPathWithTheSameResults() {
        var backbone = Backbones.resnet1dWangBuilder().optWidth(4).optDropout(0).build();
        NetworkSpec spec = new NetworkSpec(2, 3, 3, new Sgd(0.05), 0);
        EcgNetwork fast = backbone.build(spec);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 48, 1).subi(0.5).muli(3);
        EcgNetwork plain;
        EcgNetwork plainFolded;
        Engine.overrideSupported(false);
        try {
            plain = backbone.build(spec);
            assertEquals(0, Engine.convolutionHelpers(plain.graph())[0]);
            assertEquals(0, Engine.batchNormHelpers(plain.graph())[0]);
            assertFalse((Boolean) Engine.describe(EngineOptions.defaults()).get("internals"));
            for (int i = 0; i < 2; i++) {
                plain.trainStep(x, o -> new EcgNetwork.Outputs(o.logits().sub(0.3).div(4), null));
            }
            plainFolded = plain.forInference();
            assertFalse(plainFolded.isDirectInference());
        } finally {
            Engine.overrideSupported(null);
        }
        for (int i = 0; i < 2; i++) {
            fast.trainStep(x, o -> new EcgNetwork.Outputs(o.logits().sub(0.3).div(4), null));
        }
        double scale = Math.max(1, fast.graph().params().amaxNumber().doubleValue());
        double diff = fast.graph().params().sub(plain.graph().params()).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, "parameters after two steps differ by " + diff);
        INDArray want = fast.forInference().logits(x);
        double d2 = want.sub(plainFolded.logits(x)).amaxNumber().doubleValue();
        assertTrue(d2 <= 1e-4 * Math.max(1, want.amaxNumber().doubleValue()), "logits differ by " + d2);
    }
}
