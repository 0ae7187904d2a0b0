package dev.mvkt.backbones;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Puts DL4J on its fast CPU path when the application ships ND4J's oneDNN build.
 *
 * <p>DL4J 1.0.0-M2.1 has oneDNN convolution and batch-norm helpers (about 2–3x faster) but never enables them: the
 * system property {@value #HELPERS_DISABLE} defaults to true, and its capability check looks for a class that moved
 * (bridged by {@code org.nd4j.nativeblas.Nd4jCpu}). And ND4J loads the oneDNN build only when the JavaCPP platform
 * extension names it. {@link #configure()} sets both properties, unless the application set them itself, and must
 * run before ND4J's native library loads; mvkt's entry points call it, so applications normally need do nothing.
 * Without the oneDNN build on the classpath everything still works, on DL4J's plain path, and a warning says so.
 */
public final class Engine {
    /** DL4J's switch for platform helpers (oneDNN, cuDNN). */
    public static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";
    /** JavaCPP's choice of native build variant, e.g. {@code -onednn-avx2}. */
    public static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    private static final String[] ONEDNN_EXTENSIONS = {"-onednn-avx2", "-onednn-avx512", "-onednn"};
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** Set to {@code false} to keep DL4J's own batch-norm backward pass (for comparison; it is about 5x slower). */
    public static final String FAST_BATCH_NORM = "mvkt.fastBatchNorm";
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final AtomicBoolean WARNED_BN = new AtomicBoolean();

    static {
        configure();
    }

    private Engine() {
    }

    /** Idempotent; leaves any property the application already set alone. */
    public static synchronized void configure() {
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
        if (System.getProperty(PLATFORM_EXTENSION) == null) {
            String platform = platform();
            ClassLoader cl = Engine.class.getClassLoader();
            boolean plain = cl.getResource(nativeLibrary(platform)) != null;
            if (!plain) {
                for (String ext : ONEDNN_EXTENSIONS) {
                    if (cl.getResource(nativeLibrary(platform + ext)) != null) {
                        System.setProperty(PLATFORM_EXTENSION, ext);
                        break;
                    }
                }
            }
        }
    }

    private static String nativeLibrary(String platform) {
        return "org/nd4j/linalg/cpu/nativecpu/bindings/" + platform + "/libjnind4jcpu.so";
    }

    private static String platform() {
        String p = System.getProperty("org.bytedeco.javacpp.platform");
        if (p != null) {
            return p;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx" : os.startsWith("windows")
                ? "windows" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "arm64"
                : arch;
        return o + "-" + a;
    }

    /** Convolution layers of {@code graph} that run on a platform helper (oneDNN on CPU), and how many there are. */
    public static int[] convolutionHelpers(ComputationGraph graph) {
        int convs = 0;
        int helped = 0;
        for (Layer l : graph.getLayers()) {
            if (l instanceof ConvolutionLayer c) {
                convs++;
                helped += c.getHelper() != null ? 1 : 0;
            }
        }
        return new int[]{helped, convs};
    }

    /**
     * Puts {@link FastBatchNorm} in front of DL4J's oneDNN (CPU) batch-norm helper in every batch-norm layer of
     * {@code graph}, unless {@value #FAST_BATCH_NORM} is {@code false}. Layers without a helper (no oneDNN) keep DL4J's
     * built-in path. DL4J offers no hook for this, so the package-private {@code helper} field is set reflectively;
     * if that ever fails, the layer keeps DL4J's helper and a warning says so.
     *
     * @return how many layers now use the fast backward pass
     */
    static int installFastBatchNorm(ComputationGraph graph) {
        if (!Boolean.parseBoolean(System.getProperty(FAST_BATCH_NORM, "true"))) {
            return 0;
        }
        int installed = 0;
        Field f = null;
        for (Layer l : graph.getLayers()) {
            if (l instanceof BatchNormalization bn) {
                try {
                    if (f == null) {
                        f = BatchNormalization.class.getDeclaredField("helper");
                        f.setAccessible(true);
                    }
                    Object h = f.get(bn);
                    if (h instanceof FastBatchNorm) {
                        installed++;
                    } else if (h instanceof MKLDNNBatchNormHelper helper) {
                        // Only oneDNN's: the fused pass reads host memory, so a GPU helper (cuDNN) stays as it is.
                        f.set(bn, new FastBatchNorm(helper));
                        installed++;
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    if (WARNED_BN.compareAndSet(false, true)) {
                        LOG.warn("mvkt: could not install the fast batch-norm backward pass ({}); DL4J's is used",
                                e.toString());
                    }
                    return installed;
                }
            }
        }
        return installed;
    }

    /** Batch-norm layers of {@code graph} that use mvkt's fast backward pass, and how many there are. */
    public static int[] batchNormHelpers(ComputationGraph graph) {
        int bns = 0;
        int fast = 0;
        for (Layer l : graph.getLayers()) {
            if (l instanceof BatchNormalization bn) {
                bns++;
                fast += bn.getHelper() instanceof FastBatchNorm ? 1 : 0;
            }
        }
        return new int[]{fast, bns};
    }

    /**
     * Runs {@code work} with OpenMP limited to one thread on the calling thread (OpenMP keeps this setting per
     * thread), then restores it. Backends without an OpenMP setting run {@code work} unchanged.
     */
    static <T> T singleThreaded(Supplier<T> work) {
        NativeOps ops;
        int before;
        try {
            ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
            before = ops.ompGetMaxThreads();
        } catch (RuntimeException | LinkageError e) {
            return work.get();
        }
        if (before <= 1) {
            return work.get();
        }
        ops.setOmpNumThreads(1);
        try {
            return work.get();
        } finally {
            ops.setOmpNumThreads(before);
        }
    }

    /** Warns once when a network's convolutions run without oneDNN, naming the artifact that fixes it. */
    static void checkFastPath(ComputationGraph graph) {
        int[] h = convolutionHelpers(graph);
        if (h[1] > 0 && h[0] == 0 && WARNED.compareAndSet(false, true)) {
            LOG.warn("mvkt: DL4J's oneDNN helpers are not active, so training runs on DL4J's plain path (about 2-3x "
                    + "slower). Put org.nd4j:nd4j-native:1.0.0-M2.1:" + platform() + "-onednn-avx2 on the "
                    + "classpath instead of the " + platform() + " classifier, or start the JVM with -D"
                    + PLATFORM_EXTENSION + "=-onednn-avx2.");
        }
    }
}
