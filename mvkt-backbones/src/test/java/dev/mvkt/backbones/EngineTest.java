package dev.mvkt.backbones;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EngineTest {

    /** The build runs tests on ND4J's oneDNN build; then every convolution must actually use DL4J's helper. */
    @Test
    void oneDnnHelpersRunWhenTheOneDnnBuildIsLoaded() {
        EcgNetwork net = Backbones.resnet1dWangBuilder().optWidth(4).build().build(NetworkSpec.of(12, 3, 0));
        String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        boolean oneDnn = build.contains("HAVE_ONEDNN");
        int[] helpers = Engine.convolutionHelpers(net.graph());
        assertEquals(9, helpers[1]);
        if (oneDnn) {
            assertArrayEquals(new int[]{9, 9}, helpers, "oneDNN is loaded but DL4J's helpers are off");
        } else {
            assertEquals(0, helpers[0]);
        }
        assertEquals("CPU", Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
        assertEquals("false", System.getProperty(Engine.HELPERS_DISABLE));
    }

    /** The test JVM is configured for the oneDNN build, so this guards the build configuration itself. */
    @Test
    void testBuildLoadsOneDnn() {
        String ext = System.getProperty(Engine.PLATFORM_EXTENSION, "");
        if (ext.contains("onednn")) {
            String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
            assertEquals(true, build.contains("HAVE_ONEDNN"), build);
        }
    }
}
