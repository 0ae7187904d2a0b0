package dev.mvkt.backbones.engine;

import dev.mvkt.backbones.EngineOptions;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingHelper;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Internal, not API: the one place that decides whether mvkt touches DL4J/ND4J internals, and that touches the JVM
 * configuration. Every use of a DL4J/ND4J internal is listed in docs/dl4j-upgrade.md.
 *
 * <p>The internals were read from DL4J/ND4J {@value #SUPPORTED_VERSION}. With any other version on the class path
 * (checked from the jars' Maven metadata), {@link #internalsSupported()} says no, one warning says why, and every
 * caller takes DL4J's plain public path: no oneDNN helpers installed, no fused batch norm, no pooling or ReLU layer
 * replacements, no direct inference plan, and training through DL4J's public {@code feedForward}/{@code
 * backpropGradient} without workspaces.
 *
 * <p>Why the oneDNN helpers are installed here: DL4J {@value #SUPPORTED_VERSION} has oneDNN convolution, pooling and
 * batch-norm helpers (about 2–3x faster) but never creates them. Its {@code HelperUtils} skips them unless the
 * system property {@code org.eclipse.deeplearning4j.helpers.disable} is false, and their {@code checkSupported}
 * looks for {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class ND4J moved, so it always answers false.
 * Rather than write DL4J's property and put a stand-in class into ND4J's package (which splits the package and breaks
 * the module path), {@link #installHelpers} asks ND4J's public API whether the oneDNN build is loaded and, if so, puts
 * DL4J's own helpers into the layers' {@code helper} fields, as DL4J would have.
 */
public final class Engine {
    /** The DL4J/ND4J version whose internals mvkt uses. */
    public static final String SUPPORTED_VERSION = "1.0.0-M2.1";
    /** JavaCPP's choice of native build variant, e.g. {@code -onednn-avx2}. */
    public static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    private static final String[] ONEDNN_EXTENSIONS = {"-onednn-avx2", "-onednn-avx512", "-onednn"};
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final AtomicBoolean WARNED_HELPER = new AtomicBoolean();
    private static boolean configured;
    private static volatile Boolean supported;
    private static volatile Boolean oneDnn;

    private Engine() {
    }

    /**
     * The seed to give DL4J's configuration (and so ND4J's generator, which DL4J seeds with it when a graph
     * initialises its parameters, and which then draws the weights and the dropout masks) for mvkt's {@code seed}.
     * ND4J 1.0.0-M2.1's native generator takes {@code setSeed(0)} as "seed from the clock": two processes given
     * seed 0 draw different numbers (measured: {@code Nd4j.getRandom().setSeed(0); nextLong()} differs between
     * JVMs, seed 1 does not). So seed 0, mvkt's default, maps to {@link Long#MIN_VALUE} (which therefore gives the
     * same models as seed 0); every other seed passes unchanged.
     */
    public static long nd4jSeed(long seed) {
        return seed == 0 ? Long.MIN_VALUE : seed;
    }

    /**
     * Chooses ND4J's oneDNN native build when it is on the class path and the plain build is not, by setting
     * JavaCPP's system property {@value #PLATFORM_EXTENSION} (JavaCPP reads it only from system properties, once,
     * when ND4J's native library loads, so it must run before any ND4J array exists). It never overrides a value the
     * application set, runs once per JVM, and logs what it set. mvkt's entry points (backbone builders, network
     * reading) call it; an application that touches ND4J first should call it first.
     */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        if (System.getProperty(PLATFORM_EXTENSION) != null) {
            LOG.debug("mvkt engine: {} already set to '{}'", PLATFORM_EXTENSION, System.getProperty(PLATFORM_EXTENSION));
            return;
        }
        String platform = platform();
        ClassLoader cl = Engine.class.getClassLoader();
        if (cl.getResource(nativeLibrary(platform)) != null) {
            return;
        }
        for (String ext : ONEDNN_EXTENSIONS) {
            if (cl.getResource(nativeLibrary(platform + ext)) != null) {
                System.setProperty(PLATFORM_EXTENSION, ext);
                LOG.info("mvkt engine: set system property {}={} (ND4J's {}{} build is on the class path, its plain "
                        + "build is not)", PLATFORM_EXTENSION, ext, platform, ext);
                return;
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

    /**
     * Whether DL4J and ND4J are the version whose internals mvkt was written against; if not, warns once (naming the
     * versions found) and mvkt uses DL4J's plain public path.
     */
    public static boolean internalsSupported() {
        Boolean s = supported;
        if (s == null) {
            String dl4j = dl4jVersion();
            String nd4j = nd4jVersion();
            s = SUPPORTED_VERSION.equals(dl4j) && SUPPORTED_VERSION.equals(nd4j);
            if (!s) {
                LOG.warn("mvkt engine: DL4J {} / ND4J {} found, but mvkt's engine internals are written for {}; using "
                                + "DL4J's plain path (slower: no oneDNN helpers, fused batch norm or direct inference). "
                                + "See docs/dl4j-upgrade.md.", dl4j, nd4j, SUPPORTED_VERSION);
            }
            supported = s;
        }
        return s;
    }

    /** For tests: pretends another DL4J version (false) or goes back to the real check (null). */
    static void overrideSupported(Boolean value) {
        supported = value;
    }

    /** The version of deeplearning4j-nn on the class path, from its Maven metadata, or "unknown". */
    public static String dl4jVersion() {
        return mavenVersion(ComputationGraph.class, "org.deeplearning4j", "deeplearning4j-nn");
    }

    /** The version of nd4j-api on the class path, from its Maven metadata, or "unknown". */
    public static String nd4jVersion() {
        return mavenVersion(Nd4j.class, "org.nd4j", "nd4j-api");
    }

    private static String mavenVersion(Class<?> anchor, String group, String artifact) {
        // META-INF is not a package, so this resource is readable from a named module as well.
        try (InputStream in = anchor.getResourceAsStream("/META-INF/maven/" + group + "/" + artifact
                + "/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            LOG.debug("mvkt engine: cannot read the version of {}: {}", artifact, e.toString());
        }
        String v = anchor.getPackage() == null ? null : anchor.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /** The ND4J backend's name, e.g. {@code CPU} or {@code CUDA}. */
    public static String backend() {
        return String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    }

    /**
     * Whether ND4J's loaded native library is a oneDNN build with oneDNN switched on: its build information names
     * {@code HAVE_ONEDNN}, ND4J allows helpers, and the CPU binding's own switch ({@code Nd4jCpu.Environment
     * .isUseONEDNN()}, read reflectively because library modules compile against ND4J's API only) is on.
     */
    public static boolean oneDnnLoaded() {
        Boolean o = oneDnn;
        if (o == null) {
            o = false;
            try {
                if ("CPU".equalsIgnoreCase(backend()) && Nd4j.getEnvironment().helpersAllowed()
                        && NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN")) {
                    o = useOneDnnSwitch();
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("mvkt engine: cannot ask ND4J about oneDNN: {}", e.toString());
            }
            oneDnn = o;
        }
        return o;
    }

    private static boolean useOneDnnSwitch() {
        try {
            Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment", true,
                    Nd4j.getBackend().getClass().getClassLoader());
            Object instance = env.getMethod("getInstance").invoke(null);
            return (boolean) env.getMethod("isUseONEDNN").invoke(instance);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // The build has oneDNN; without the switch's answer, assume ND4J's default (on).
            LOG.debug("mvkt engine: cannot read ND4J's oneDNN switch ({}); assuming on", e.toString());
            return true;
        }
    }

    /**
     * As {@link #installHelpers(ComputationGraph, boolean, boolean)} without mvkt's pooling layers (DL4J's own
     * pooling code runs).
     */
    public static int installHelpers(ComputationGraph graph, boolean fastBatchNorm) {
        return installHelpers(graph, fastBatchNorm, false);
    }

    /**
     * Puts DL4J's oneDNN helpers into the convolution, pooling and batch-norm layers of {@code graph} that have none
     * (only where {@link #oneDnnLoaded()} and {@link #internalsSupported()}), and {@link FastBatchNorm} in front of
     * the batch-norm helper when {@code fastBatchNorm}. DL4J offers no hook for either, so the layers' non-public
     * {@code helper} fields are set reflectively; if that fails, the layers keep DL4J's plain path and one warning
     * says so. With {@code fastLayers} (and {@link #internalsSupported()} on the CPU backend), each pooling layer
     * is replaced by a {@link FastPooling} layer and each plain ReLU activation layer by a {@link LeanRelu} of the
     * same configuration, in the graph's layer array and in its vertex (DL4J's pooling layer runs its forward pass
     * without consulting any helper, and activation layers have none, so there is no other way in).
     * Safe to call again on the same graph.
     *
     * @return how many batch-norm layers use the fast pass
     */
    public static int installHelpers(ComputationGraph graph, boolean fastBatchNorm, boolean fastLayers) {
        if (!internalsSupported()) {
            return 0;
        }
        boolean oneDnn = oneDnnLoaded();
        boolean cpu = "CPU".equalsIgnoreCase(backend());
        int fast = 0;
        DataType type = graph.getConfiguration().getDataType();
        try {
            Layer[] layers = graph.getLayers();
            for (int i = 0; i < layers.length; i++) {
                Layer l = layers[i];
                if (oneDnn && l.getClass() == ConvolutionLayer.class) {
                    Field f = helperField(ConvolutionLayer.class);
                    if (f.get(l) == null) {
                        f.set(l, new MKLDNNConvHelper(type));
                    }
                } else if (l.getClass() == SubsamplingLayer.class) {
                    Field f = helperField(SubsamplingLayer.class);
                    if (oneDnn && f.get(l) == null) {
                        f.set(l, new MKLDNNSubsamplingHelper(type));
                    }
                    if (fastLayers && cpu) {
                        FastPooling p = new FastPooling(l.conf(), type, (SubsamplingHelper) f.get(l));
                        copyLayerState(l, p);
                        replaceLayer(graph, i, l, p);
                    }
                } else if (fastLayers && cpu && l.getClass() == ActivationLayer.class
                        && l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer a
                        && LeanRelu.plainRelu(a)) {
                    LeanRelu r = new LeanRelu(l.conf(), type);
                    copyLayerState(l, r);
                    replaceLayer(graph, i, l, r);
                } else if (oneDnn && l.getClass() == BatchNormalization.class) {
                    Field f = helperField(BatchNormalization.class);
                    Object h = f.get(l);
                    if (h == null) {
                        h = new MKLDNNBatchNormHelper(type);
                        f.set(l, h);
                    }
                    if (h instanceof FastBatchNorm) {
                        fast++;
                    } else if (fastBatchNorm && h instanceof MKLDNNBatchNormHelper helper) {
                        // Only oneDNN's: the fused pass reads host memory, so a GPU helper (cuDNN) stays as it is.
                        f.set(l, new FastBatchNorm(helper));
                        fast++;
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (WARNED_HELPER.compareAndSet(false, true)) {
                LOG.warn("mvkt engine: could not install DL4J's oneDNN helpers or mvkt's pooling ({}); some layers run "
                        + "on DL4J's plain path", e.toString());
            }
        }
        return fast;
    }

    private static void copyLayerState(Layer from, AbstractLayer<?> to) {
        to.setIndex(from.getIndex());
        to.setListeners(from.getListeners());
        if (from instanceof AbstractLayer<?> a) {
            to.setCacheMode(a.getCacheMode());
            to.setInputModificationAllowed(a.isInputModificationAllowed());
        }
        to.setIterationCount(from.getIterationCount());
        to.setEpochCount(from.getEpochCount());
    }

    /**
     * Puts {@code replacement} where {@code old} is: the graph's layer array (protected) and the layer's vertex
     * (a private field of {@code LayerVertex}). Both are set, or neither.
     */
    private static void replaceLayer(ComputationGraph graph, int index, Layer old, Layer replacement)
            throws ReflectiveOperationException {
        LayerVertex vertex = null;
        for (GraphVertex v : graph.getVertices()) {
            if (v instanceof LayerVertex lv && lv.getLayer() == old) {
                vertex = lv;
            }
        }
        Field layers = ComputationGraph.class.getDeclaredField("layers");
        layers.setAccessible(true);
        Layer[] array = (Layer[]) layers.get(graph);
        if (vertex == null || array[index] != old) {
            throw new IllegalStateException("layer " + index + " is not where DL4J keeps it");
        }
        Field inVertex = LayerVertex.class.getDeclaredField("layer");
        inVertex.setAccessible(true);
        inVertex.set(vertex, replacement);
        array[index] = replacement;
    }

    /** ReLU layers of {@code graph} that run mvkt's {@link LeanRelu}, and how many activation layers there are. */
    public static int[] reluLayers(ComputationGraph graph) {
        return count(graph, ActivationLayer.class, l -> l instanceof LeanRelu);
    }

    /** Pooling layers of {@code graph} that run mvkt's {@link FastPooling}, and how many pooling layers there are. */
    public static int[] poolingLayers(ComputationGraph graph) {
        return count(graph, SubsamplingLayer.class, l -> l instanceof FastPooling);
    }

    private static Field helperField(Class<?> layer) throws NoSuchFieldException {
        Field f = layer.getDeclaredField("helper");
        f.setAccessible(true);
        return f;
    }

    /** Convolution layers of {@code graph} that run on a platform helper (oneDNN on CPU), and how many there are. */
    public static int[] convolutionHelpers(ComputationGraph graph) {
        return count(graph, ConvolutionLayer.class, c -> c.getHelper() != null);
    }

    /** Batch-norm layers of {@code graph} that use mvkt's fast backward pass, and how many there are. */
    public static int[] batchNormHelpers(ComputationGraph graph) {
        return count(graph, BatchNormalization.class, bn -> bn.getHelper() instanceof FastBatchNorm);
    }

    /** {@code {layers of kind that satisfy mvkt, layers of kind}} in {@code graph}. */
    private static <L> int[] count(ComputationGraph graph, Class<L> kind, java.util.function.Predicate<L> mvkt) {
        int all = 0;
        int ours = 0;
        for (Layer l : graph.getLayers()) {
            if (kind.isInstance(l)) {
                all++;
                ours += mvkt.test(kind.cast(l)) ? 1 : 0;
            }
        }
        return new int[]{ours, all};
    }

    /**
     * What provenance records about the engine: backend, OS, the DL4J/ND4J versions, and for each option in
     * {@code requested} whether it is in effect on this machine.
     */
    public static Map<String, Object> describe(EngineOptions requested) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("dl4j", dl4jVersion());
        m.put("nd4j", nd4jVersion());
        m.put("internals", internalsSupported());
        m.put("oneDnn", internalsSupported() && oneDnnLoaded());
        m.put("requested", requested.toMap());
        Map<String, Object> effective = new LinkedHashMap<>();
        effective.put("fastBatchNorm", requested.fastBatchNorm() && internalsSupported() && oneDnnLoaded());
        effective.put("directInference", requested.directInference() && internalsSupported()
                && Nd4j.getEnvironment().isCPU());
        effective.put("teacherCache", requested.teacherCache());
        effective.put("fastLayers", requested.fastLayers() && internalsSupported() && Nd4j.getEnvironment().isCPU());
        m.put("effective", effective);
        return m;
    }

    /**
     * Runs {@code work} with OpenMP limited to one thread on the calling thread (OpenMP keeps this setting per
     * thread), then restores it. Backends without an OpenMP setting run {@code work} unchanged.
     */
    public static <T> T singleThreaded(Supplier<T> work) {
        NativeOps ops;
        int before;
        try {
            // ND4J first: NativeOpsHolder fails for good if it initialises before ND4J has loaded its backend.
            Nd4j.getExecutioner();
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

    /**
     * Destroys the calling thread's ND4J workspaces (public ND4J API; DL4J keeps one set per thread and frees it only
     * when asked). Trained parameters live outside workspaces, so no live network loses an array.
     */
    public static void releaseThreadMemory() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    /** Warns once when a network's convolutions run without oneDNN, naming the artifact that fixes it. */
    public static void checkFastPath(ComputationGraph graph) {
        int[] h = convolutionHelpers(graph);
        if (h[1] > 0 && h[0] == 0 && internalsSupported() && "CPU".equalsIgnoreCase(backend())
                && WARNED.compareAndSet(false, true)) {
            LOG.warn("mvkt engine: ND4J's oneDNN build is not loaded, so training runs on DL4J's plain path (about 2-3x "
                    + "slower). Put org.nd4j:nd4j-native:" + SUPPORTED_VERSION + ":" + platform() + "-onednn-avx2 on "
                    + "the class path instead of the " + platform() + " classifier, or start the JVM with -D"
                    + PLATFORM_EXTENSION + "=-onednn-avx2.");
        }
    }
}
