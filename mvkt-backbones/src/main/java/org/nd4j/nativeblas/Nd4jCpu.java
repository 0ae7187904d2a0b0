package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * A bridge that lets DL4J 1.0.0-M2.1 find out whether ND4J runs on oneDNN.
 *
 * <p>DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment}
 * reflectively, a class that ND4J M2.1 moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} (where the
 * query is now named {@code isUseONEDNN}); without
 * this bridge the check always answers false and DL4J's oneDNN convolution and batch-norm helpers never run. The
 * bridge forwards to the real binding, so it answers true only when a oneDNN build of ND4J is actually loaded, and
 * false on any other build or backend.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** Mirrors the old {@code Nd4jCpu.Environment} singleton: only the query DL4J makes. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether the loaded ND4J native library uses oneDNN (false when it cannot be asked). */
        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Method get = env.getMethod("getInstance");
                Object instance = get.invoke(null);
                return (boolean) env.getMethod("isUseONEDNN").invoke(instance);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return false;
            }
        }
    }
}
