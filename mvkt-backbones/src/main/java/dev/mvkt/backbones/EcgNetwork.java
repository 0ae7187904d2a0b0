package dev.mvkt.backbones;

import dev.mvkt.backbones.engine.Engine;
import dev.mvkt.backbones.engine.InferencePlan;
import dev.mvkt.backbones.engine.TrainableGraph;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A built backbone: a DL4J {@link ComputationGraph} with two outputs, the class logits and the pooled features.
 *
 * <p>Input layout is {@code [batch, leads, samples, 1]}. Inside, the graph sees the same memory as
 * {@code [batch, leads, 1, samples]} (a free reshape) and runs DL4J's 2-D convolution with {@code (1, k)} kernels:
 * DL4J's 1-D convolution cannot be followed by batch normalisation in training, and oneDNN is fastest with time along
 * the width (see docs/architecture.md and docs/performance.md). Code that calls {@link #graph()} directly feeds it
 * that internal layout; {@link #activations} does the conversion both ways.
 *
 * <p>Training uses external errors ({@link #trainStep}): the caller maps outputs to dL/dlogits and dL/dfeatures, so
 * that any combination of {@link dev.mvkt.api.LossTerm loss terms} can drive the same network.
 */
public final class EcgNetwork {
    private final TrainableGraph graph;
    private final EngineOptions engine;
    private final String architecture;
    private final Map<String, Object> config;
    private final int featureDim;
    private final int inputLeads;
    private final boolean inferenceOnly;
    /** Direct NHWC inference of a folded snapshot; null when trainable, switched off or not plannable. */
    private final InferencePlan plan;
    /** L2 on batch norm's gamma and beta, which DL4J never decays: the bias decay when it is set, else 0. */
    private final double batchNormDecay;
    private long updateNanos;

    /**
     * @param graph        initialised graph whose outputs are, in order, logits {@code [N, classes]} and features
     *                     {@code [N, featureDim]}
     * @param architecture backbone name
     * @param config       backbone hyperparameters
     * @param featureDim   size of the pooled feature vector
     */
    public EcgNetwork(ComputationGraph graph, String architecture, Map<String, Object> config, int featureDim) {
        this(graph, architecture, config, featureDim, EngineOptions.defaults());
    }

    /** As {@link #EcgNetwork(ComputationGraph, String, Map, int)}, with the engine options it trains and infers with. */
    public EcgNetwork(ComputationGraph graph, String architecture, Map<String, Object> config, int featureDim,
                      EngineOptions engine) {
        this(graph, architecture, config, featureDim, false, engine);
    }

    private EcgNetwork(ComputationGraph graph, String architecture, Map<String, Object> config, int featureDim,
                       boolean inferenceOnly, EngineOptions engine) {
        this.inferenceOnly = inferenceOnly;
        this.engine = Objects.requireNonNull(engine, "engine");
        this.graph = TrainableGraph.of(Objects.requireNonNull(graph, "graph"));
        this.architecture = architecture;
        // Sorted, so provenance, model files and checkpoint fingerprints do not depend on map iteration order.
        this.config = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(config));
        this.featureDim = featureDim;
        this.inputLeads = firstConvolutionInputs(graph);
        Engine.installHelpers(this.graph, engine.fastBatchNorm(), engine.fastLayers());
        Engine.checkFastPath(this.graph);
        this.plan = inferenceOnly && engine.directInference() ? InferencePlan.of(this.graph).orElse(null) : null;
        this.batchNormDecay = batchNormDecay(this.graph);
        if (graph.getConfiguration().getNetworkOutputs().size() != 2) {
            throw new IllegalArgumentException("an EcgNetwork graph needs exactly 2 outputs (logits, features), has "
                    + graph.getConfiguration().getNetworkOutputs());
        }
    }

    /** Logits and pooled features of one forward pass. */
    public record Outputs(INDArray logits, INDArray features) {
    }

    /**
     * Inference: batch normalisation uses running statistics and dropout is off.
     *
     * @param input {@code [N, leads, samples, 1]}
     */
    public Outputs output(INDArray input) {
        checkInput(input);
        // One ECG is too small to split across threads: OpenMP's hand-offs cost more than they save (measured 16 ms
        // on two threads against 9 ms on one for ResNet1d_wang). Larger batches use every thread.
        INDArray[] out = input.size(0) == 1 ? Engine.singleThreaded(() -> run(input)) : run(input);
        return new Outputs(out[0], out[1]);
    }

    private INDArray[] run(INDArray input) {
        return plan != null ? plan.output(input) : graph.output(false, toGraphLayout(input));
    }

    /**
     * Lets go of the direct plan's activation buffers, which otherwise stay sized for the largest batch seen (about
     * 200–275 MB off-heap at 128 × 12 × 1000 for the five backbones). Bulk scoring calls this when it is done, so a
     * model kept for single-ECG {@code diagnose} calls does not hold them. Harmless when there is no plan.
     */
    public void releaseInferenceBuffers() {
        if (plan != null) {
            plan.releaseBuffers();
        }
    }

    /** Bytes the direct plan's buffers hold between calls (0 without a plan). */
    public long inferenceBufferBytes() {
        return plan == null ? 0 : plan.bufferBytes();
    }

    /**
     * Whether inference runs mvkt's direct plan rather than DL4J's graph ({@link EngineOptions#directInference()},
     * where the plan applies).
     */
    public boolean isDirectInference() {
        return plan != null;
    }

    /** Class logits in inference mode, {@code [N, classes]}. */
    public INDArray logits(INDArray input) {
        return output(input).logits();
    }

    /**
     * One optimisation step on errors computed outside DL4J: a training-mode forward pass, then
     * {@code lossGradient} maps the outputs to dL/dlogits and dL/dfeatures of the batch-mean loss (dL/dfeatures may
     * be null), then backprop and one optimiser update.
     */
    public void trainStep(INDArray input, Function<Outputs, Outputs> lossGradient) {
        if (inferenceOnly) {
            throw new IllegalStateException("this " + architecture + " network was folded for inference "
                    + "(forInference()) and cannot be trained; train the network it was made from");
        }
        Gradient g = gradient(input, lossGradient); // checks the input
        long n = input.size(0);
        long start = System.nanoTime();
        if (batchNormDecay > 0) {
            // As PyTorch's Adam(weight_decay): g += wd·θ. The updater divides the gradient by n before it adds its own
            // L2 terms, so this term goes in multiplied by n.
            for (Map.Entry<String, INDArray> e : g.gradientForVariable().entrySet()) {
                String k = e.getKey();
                if (k.endsWith("_gamma") || k.endsWith("_beta")) {
                    e.getValue().addi(graph.getParam(k).mul(batchNormDecay * n));
                }
            }
        }
        int iteration = graph.getIterationCount();
        // DL4J's updater divides by the minibatch size (its own losses are sums over examples).
        graph.getUpdater().update(g, iteration, graph.getEpochCount(), (int) n, LayerWorkspaceMgr.noWorkspaces());
        graph.params().subi(g.gradient());
        graph.getConfiguration().setIterationCount(iteration + 1);
        updateNanos += System.nanoTime() - start;
    }

    /**
     * Runs {@code work} with the numeric kernels (OpenMP, and so oneDNN) on one thread of the calling thread, then
     * restores the thread count: threaded float reductions add in an order that changes from run to run, and one
     * thread makes training reproducible across processes. Backends without that setting run {@code work} unchanged.
     */
    public static <T> T singleThreaded(java.util.function.Supplier<T> work) {
        return Engine.singleThreaded(work);
    }

    /**
     * Frees the memory the engine keeps for the calling thread between calls (DL4J's workspaces, sized for the
     * largest network and batch the thread has run). A thread that trained a network and moves on to other work
     * calls it; the next training on the thread allocates again. Networks and their outputs are not affected.
     */
    public static void releaseThreadMemory() {
        Engine.releaseThreadMemory();
    }

    /** The L2 coefficient of the biases (set only with {@link DecayScope#ALL_PARAMETERS}), or 0. */
    private static double batchNormDecay(ComputationGraph graph) {
        for (var layer : graph.getConfiguration().getVertices().values()) {
            if (layer instanceof org.deeplearning4j.nn.conf.graph.LayerVertex v
                    && v.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b
                    && b.getRegularizationBias() != null) {
                for (var r : b.getRegularizationBias()) {
                    if (r instanceof org.nd4j.linalg.learning.regularization.L2Regularization l2) {
                        return l2.getL2().valueAt(0, 0);
                    }
                }
            }
        }
        return 0;
    }

    /**
     * Where this network's training steps spent their time since it was built: the training-mode forward pass, the
     * backward pass and the optimiser update, in milliseconds (the caller's loss is in none of them).
     */
    public record PhaseTimes(double forwardMs, double backwardMs, double updateMs) {
    }

    /** Cumulative {@link PhaseTimes} of {@link #trainStep} calls (for profiling; the clocks cost nanoseconds). */
    public PhaseTimes phaseTimes() {
        return new PhaseTimes(graph.forwardNanos() / 1e6, graph.backwardNanos() / 1e6, updateNanos / 1e6);
    }

    /**
     * Every vertex's inference-mode activation, by vertex name, with rank-4 activations in the public layout
     * {@code [batch, channels, samples, 1]}: for inspection and tests.
     */
    public Map<String, INDArray> activations(INDArray input) {
        checkInput(input);
        Map<String, INDArray> acts = new java.util.LinkedHashMap<>();
        graph.feedForward(toGraphLayout(input), false).forEach((name, a) -> acts.put(name, a.rank() == 4
                ? a.reshape('c', a.size(0), a.size(1), a.size(3), 1) : a));
        return acts;
    }

    /** {@code [N, leads, samples, 1]} to the graph's {@code [N, leads, 1, samples]}: a view for c-ordered input. */
    private static INDArray toGraphLayout(INDArray input) {
        return input.reshape('c', input.size(0), input.size(1), 1, input.size(2));
    }

    /** Parameter gradient of a training-mode forward pass, for the errors {@code lossGradient} returns. */
    Gradient gradient(INDArray input, Function<Outputs, Outputs> lossGradient) {
        checkInput(input);
        return graph.gradient(toGraphLayout(input), outs -> {
            Outputs d = lossGradient.apply(new Outputs(outs[0], outs[1]));
            long n = outs[0].size(0);
            INDArray dLogits = d.logits() == null ? outs[0].ulike().assign(0) : d.logits().mul(n);
            INDArray dFeatures = d.features() == null ? outs[1].ulike().assign(0) : d.features().mul(n);
            return new INDArray[]{dLogits.castTo(outs[0].dataType()), dFeatures.castTo(outs[1].dataType())};
        });
    }

    /**
     * A snapshot of this network for inference only, faster and equal to {@link #output} up to float rounding: each
     * convolution → batch-norm pair is folded into one convolution (see {@code InferenceFolding}). Later training
     * of this network does not change the snapshot.
     */
    public EcgNetwork forInference() {
        if (inferenceOnly) {
            return this;
        }
        return new EcgNetwork(InferenceFolding.fold(graph), architecture, config, featureDim, true, engine);
    }

    /** The engine options this network and its inference snapshots run with. */
    public EngineOptions engineOptions() {
        return engine;
    }

    /**
     * This network with other engine options: the same object when they are equal, else a copy with the same
     * parameters and state (an inference snapshot stays one).
     */
    public EcgNetwork withEngineOptions(EngineOptions options) {
        if (engine.equals(Objects.requireNonNull(options, "options"))) {
            return this;
        }
        return copy(options);
    }

    /** Whether this is a {@link #forInference()} snapshot. */
    public boolean isInferenceOnly() {
        return inferenceOnly;
    }

    /** Counts this epoch for the optimiser's schedules. */
    public void incrementEpoch() {
        graph.incrementEpochCount();
    }

    private void checkInput(INDArray input) {
        if (input.rank() != 4 || input.size(3) != 1) {
            throw new IllegalArgumentException("input must be [batch, leads, samples, 1], was "
                    + java.util.Arrays.toString(input.shape()));
        }
        if (input.size(1) != inputLeads) {
            throw new IllegalArgumentException("network expects " + inputLeads + " leads, input has "
                    + input.size(1));
        }
    }

    /** Number of input leads the network was built for. */
    public int inputLeads() {
        return inputLeads;
    }

    private static int firstConvolutionInputs(ComputationGraph graph) {
        for (int idx : graph.topologicalSortOrder()) {
            Layer l = graph.getVertices()[idx].getLayer();
            if (l != null && l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer c) {
                return (int) c.getNIn();
            }
        }
        throw new IllegalStateException("network has no convolution layer");
    }

    public int featureDim() {
        return featureDim;
    }

    public String architecture() {
        return architecture;
    }

    public Map<String, Object> config() {
        return config;
    }

    public long numParams() {
        return graph.numParams();
    }

    /** The underlying graph, for advanced use (inspection, helpers, fine-tuning). */
    public ComputationGraph graph() {
        return graph;
    }

    /** A deep copy with the same parameters and state, the optimiser's epoch and iteration counts included. */
    public EcgNetwork copy() {
        return copy(engine);
    }

    private EcgNetwork copy(EngineOptions options) {
        EcgNetwork c = new EcgNetwork(graph.clone(), architecture, config, featureDim, inferenceOnly, options);
        // DL4J's clone starts the counts at 0, which would restart the learning-rate schedule of the copy.
        c.graph.getConfiguration().setEpochCount(graph.getEpochCount());
        c.graph.getConfiguration().setIterationCount(graph.getIterationCount());
        return c;
    }

    /** Writes the graph (without optimiser state when {@code withUpdater} is false). */
    public void write(OutputStream out, boolean withUpdater) throws IOException {
        if (inferenceOnly) {
            throw new IllegalStateException("a network folded for inference is not saved; save the network it was "
                    + "made from");
        }
        ModelSerializer.writeModel(graph, out, withUpdater);
    }

    /** Reads a graph written by {@link #write}, without optimiser state. */
    public static EcgNetwork read(InputStream in, String architecture, Map<String, Object> config, int featureDim)
            throws IOException {
        return read(in, architecture, config, featureDim, false);
    }

    /** Reads a graph written by {@link #write}, with its optimiser state when {@code withUpdater} (to resume). */
    public static EcgNetwork read(InputStream in, String architecture, Map<String, Object> config, int featureDim,
                                  boolean withUpdater) throws IOException {
        return read(in, architecture, config, featureDim, withUpdater, EngineOptions.defaults());
    }

    /** As {@link #read(InputStream, String, Map, int, boolean)}, running with {@code engine}. */
    public static EcgNetwork read(InputStream in, String architecture, Map<String, Object> config, int featureDim,
                                  boolean withUpdater, EngineOptions engine) throws IOException {
        Engine.configure();
        ComputationGraph g = ModelSerializer.restoreComputationGraph(in, withUpdater);
        return new EcgNetwork(g, architecture, config, featureDim, engine);
    }
}
