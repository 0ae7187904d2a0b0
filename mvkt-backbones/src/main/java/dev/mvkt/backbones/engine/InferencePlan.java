package dev.mvkt.backbones.engine;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationPReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Internal, not API. Runs a folded inference graph ({@code InferenceFolding}) without DL4J's graph machinery: one libnd4j op per
 * vertex, on activations laid out {@code [N, 1, samples, channels]} (NHWC), into buffers kept between calls.
 *
 * <p>Why: for one ECG, DL4J's graph spent about as long around the convolutions as in them. oneDNN computes
 * convolutions in a channels-last layout; on DL4J's NCHW activations each convolution paid a reorder of its input and
 * of its output (measured with {@code DNNL_VERBOSE=1}: 2.3 ms of reorders beside 2.6 ms of convolutions per
 * ResNet1d_wang ECG), and each vertex paid workspace, validation and shape bookkeeping in Java. Here activations stay
 * channels-last from the input to the global pooling, each op reuses its {@link OpContext}, and buffers are assigned
 * once per input shape from the vertices' lifetimes, so a repeated call allocates no activation buffer, only
 * pooled vectors and its copies of the outputs.
 *
 * <p>Only what the five backbones' folded graphs contain is planned: convolutions, batch norms, element-wise
 * activations, dropout (a no-op in inference), max/average pooling, global max/average/sum pooling, channel
 * concatenation, addition, scaling and dense layers. {@link #of} returns empty for anything else (a preprocessor, a
 * recurrent layer, another data type) and on backends other than ND4J's CPU one, and the graph runs as before.
 * Calls are serialised on the plan's buffers. The buffers fit the largest input seen so far (a few activations of
 * it, by their lifetimes: about 200–275 MB off-heap for the backbones at a batch of 128 × 12 × 1000) and live as
 * long as the snapshot, because fresh buffers on every call would page-fault on every 4 KB they touch.
 */
public final class InferencePlan {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InferencePlan.class);

    /** One vertex of the plan: reads {@code inputs} (slots), writes slot {@code output}. */
    private abstract static class Step {
        int[] inputs;
        int output;
        /** Whether the step may write into its first input (no later step reads it). */
        boolean overwrite;

        /** The output, shaped from the inputs; {@code buffers} lends a reusable array. */
        abstract INDArray run(INDArray[] in, Buffers buffers);
    }

    private final List<Step> steps;
    private final int slots;
    private final int[] outputSlots;
    /** Index of the last step that reads each slot (outputs: never freed). */
    private final int[] lastUse;
    private final Buffers buffers = new Buffers();

    private InferencePlan(List<Step> steps, int slots, int[] outputSlots) {
        this.steps = steps;
        this.slots = slots;
        this.outputSlots = outputSlots;
        this.lastUse = new int[slots];
        Arrays.fill(lastUse, -1);
        for (int i = 0; i < steps.size(); i++) {
            for (int s : steps.get(i).inputs) {
                lastUse[s] = i;
            }
        }
        for (int s : outputSlots) {
            lastUse[s] = Integer.MAX_VALUE;
        }
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            int first = s.inputs[0];
            s.overwrite = first != 0 && lastUse[first] == i
                    && Arrays.stream(s.inputs).filter(x -> x == first).count() == 1;
        }
    }

    /**
     * The plan of a graph with one input {@code [N, leads, 1, samples]}, or empty (with the reason at debug level)
     * when a vertex is not one this class runs.
     */
    public static Optional<InferencePlan> of(ComputationGraph graph) {
        try {
            return Optional.of(build(graph));
        } catch (Unsupported e) {
            LOG.debug("mvkt: inference runs on DL4J's graph: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static final class Unsupported extends Exception {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private static InferencePlan build(ComputationGraph graph) throws Unsupported {
        if (!Engine.internalsSupported()) {
            // The plan passes iArgs to libnd4j ops by position, as read from this version's op declarations.
            throw new Unsupported("DL4J/ND4J is not " + Engine.SUPPORTED_VERSION);
        }
        if (!Nd4j.getEnvironment().isCPU()) {
            // The layout and the op choices were measured against oneDNN; other backends keep DL4J's graph.
            throw new Unsupported("the ND4J backend is not the CPU one");
        }
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            throw new Unsupported("the graph has " + conf.getNetworkInputs().size() + " inputs");
        }
        if (graph.params().dataType() != DataType.FLOAT) {
            throw new Unsupported("parameters are " + graph.params().dataType() + ", not FLOAT");
        }
        Map<String, Integer> slotOf = new HashMap<>();
        slotOf.put(conf.getNetworkInputs().get(0), 0);
        int slots = 1;
        List<Step> steps = new ArrayList<>();
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex v = conf.getVertices().get(name);
            if (v == null) {
                continue; // the input
            }
            List<String> ins = conf.getVertexInputs().get(name);
            int[] inSlots = new int[ins.size()];
            for (int i = 0; i < inSlots.length; i++) {
                inSlots[i] = slotOf.get(ins.get(i));
            }
            if (isIdentity(v)) {
                slotOf.put(name, inSlots[0]);
                continue;
            }
            Step step = step(graph, name, v);
            step.inputs = inSlots;
            step.output = slots++;
            slotOf.put(name, step.output);
            steps.add(step);
        }
        int[] outs = conf.getNetworkOutputs().stream().mapToInt(slotOf::get).toArray();
        return new InferencePlan(steps, slots, outs);
    }

    private static boolean isIdentity(GraphVertex v) {
        if (!(v instanceof LayerVertex lv) || lv.getPreProcessor() != null) {
            return false;
        }
        var layer = lv.getLayerConf().getLayer();
        return layer instanceof DropoutLayer
                || layer instanceof ActivationLayer a && a.getActivationFn() instanceof ActivationIdentity;
    }

    private static Step step(ComputationGraph graph, String name, GraphVertex v) throws Unsupported {
        if (v instanceof ElementWiseVertex e) {
            if (e.getOp() != ElementWiseVertex.Op.Add) {
                throw new Unsupported(name + ": element-wise " + e.getOp());
            }
            return new Add();
        }
        if (v instanceof ScaleVertex s) {
            return new Scale(s.getScaleFactor());
        }
        if (v instanceof MergeVertex m) {
            if (m.getMergeAxis() != MergeVertex.DEFAULT_MERGE_DIM) {
                throw new Unsupported(name + ": merge along axis " + m.getMergeAxis());
            }
            return new Concat();
        }
        if (!(v instanceof LayerVertex lv)) {
            throw new Unsupported(name + ": vertex " + v.getClass().getSimpleName());
        }
        if (lv.getPreProcessor() != null) {
            throw new Unsupported(name + ": input preprocessor " + lv.getPreProcessor().getClass().getSimpleName());
        }
        var layer = lv.getLayerConf().getLayer();
        if (layer instanceof ConvolutionLayer c && c.getClass() == ConvolutionLayer.class) {
            if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported(name + ": convolution in " + c.getCnn2dDataFormat());
            }
            checkPointwise(name, c.getActivationFn());
            checkMode(name, c.getConvolutionMode());
            INDArray w = graph.getParam(name + "_" + ConvolutionParamInitializer.WEIGHT_KEY);
            INDArray b = c.hasBias() ? graph.getParam(name + "_" + ConvolutionParamInitializer.BIAS_KEY) : null;
            return new Conv(c, w, b);
        }
        if (layer instanceof BatchNormalization bn) {
            if (bn.getCnn2DFormat() != CNN2DFormat.NCHW || bn.isLockGammaBeta()) {
                throw new Unsupported(name + ": batch norm in " + bn.getCnn2DFormat() + " or with locked γ/β");
            }
            INDArray[] st = scaleShift(graph, name);
            return new ScaleShift(st[0], st[1]);
        }
        if (layer instanceof ActivationLayer a) {
            checkPointwise(name, a.getActivationFn());
            return new Activation(a.getActivationFn());
        }
        if (layer instanceof SubsamplingLayer p && p.getClass() == SubsamplingLayer.class) {
            if (p.getCnn2dDataFormat() != CNN2DFormat.NCHW || (p.getPoolingType() != PoolingType.MAX
                    && p.getPoolingType() != PoolingType.AVG)) {
                throw new Unsupported(name + ": pooling " + p.getPoolingType() + " in " + p.getCnn2dDataFormat());
            }
            checkMode(name, p.getConvolutionMode());
            return new Pool(p);
        }
        if (layer instanceof GlobalPoolingLayer gp) {
            int[] dims = gp.getPoolingDimensions();
            if (!gp.isCollapseDimensions() || (dims != null && !Arrays.equals(dims, new int[]{2, 3}))
                    || gp.getPoolingType() == PoolingType.PNORM) {
                throw new Unsupported(name + ": global " + gp.getPoolingType() + " pooling over "
                        + Arrays.toString(dims));
            }
            return new GlobalPool(gp.getPoolingType());
        }
        if (layer instanceof DenseLayer d) {
            INDArray b = d.hasBias() ? graph.getParam(name + "_" + DefaultParamInitializer.BIAS_KEY) : null;
            return new Dense(graph.getParam(name + "_" + DefaultParamInitializer.WEIGHT_KEY), b,
                    d.getActivationFn());
        }
        throw new Unsupported(name + ": layer " + layer.getClass().getSimpleName());
    }

    /** Output sizes here follow Truncate (and Strict, its checked form) and Same; Causal pads one side only. */
    private static void checkMode(String name, ConvolutionMode mode) throws Unsupported {
        if (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict && mode != ConvolutionMode.Same) {
            throw new Unsupported(name + ": convolution mode " + mode);
        }
    }

    /** Activations channels-last must not mix channels: softmax and PReLU's per-channel α would. */
    private static void checkPointwise(String name, IActivation a) throws Unsupported {
        if (a instanceof ActivationSoftmax || a instanceof ActivationPReLU) {
            throw new Unsupported(name + ": activation " + a);
        }
    }

    /**
     * Inference on {@code [N, leads, samples, 1]} (the public layout), returning copies of the graph's outputs.
     */
    public synchronized INDArray[] output(INDArray input) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray[] values = new INDArray[slots];
            // [N, leads, L, 1] → [N, 1, L, leads]: a view for one lead, a copy otherwise.
            long n = input.size(0);
            long leads = input.size(1);
            long length = input.size(2);
            values[0] = leads == 1 && input.ordering() == 'c'
                    ? input.reshape('c', n, 1, length, 1)
                    : buffers.take(0, n, 1, length, leads).assign(input.permute(0, 3, 2, 1));
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                INDArray[] in = new INDArray[s.inputs.length];
                for (int j = 0; j < in.length; j++) {
                    in[j] = values[s.inputs[j]];
                }
                buffers.slot = s.output;
                values[s.output] = s.run(in, buffers);
                if (values[s.output] == in[0]) {
                    buffers.transfer(s.inputs[0], s.output);
                }
                for (int slot : s.inputs) {
                    if (lastUse[slot] == i) {
                        values[slot] = null;
                        buffers.release(slot);
                    }
                }
            }
            INDArray[] out = new INDArray[outputSlots.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = values[outputSlots[i]].dup();
            }
            buffers.endCall();
            return out;
        }
    }

    /** Drops the pooled buffers (the next call allocates again); for after a bulk scoring run. */
    public synchronized void releaseBuffers() {
        buffers.free.clear();
        buffers.lent.clear();
    }

    /** Bytes the pool holds between calls. */
    public synchronized long bufferBytes() {
        return buffers.free.stream().mapToLong(INDArray::length).sum() * Float.BYTES;
    }

    /**
     * Flat float arrays lent to slots and returned when a slot's last reader has run. Within one input shape the calls
     * repeat the same sequence of takes and releases, so from the second call on no array is allocated; arrays no
     * call used are dropped at the end of it.
     */
    private static final class Buffers {
        private final List<INDArray> free = new ArrayList<>();
        private final Map<Integer, INDArray> lent = new HashMap<>();
        private final List<INDArray> usedThisCall = new ArrayList<>();
        /** The slot the running step writes. */
        int slot;

        INDArray take(long... shape) {
            return take(slot, shape);
        }

        INDArray take(int forSlot, long... shape) {
            long need = 1;
            for (long d : shape) {
                need *= d;
            }
            INDArray best = null;
            for (INDArray b : free) {
                if (b.length() >= need && (best == null || b.length() < best.length())) {
                    best = b;
                }
            }
            if (best == null) {
                best = Nd4j.createUninitializedDetached(DataType.FLOAT, need);
            } else {
                free.remove(best);
            }
            lent.put(forSlot, best);
            usedThisCall.add(best);
            return (best.length() == need ? best : best.get(NDArrayIndex.interval(0, need))).reshape('c', shape);
        }

        void transfer(int from, int to) {
            INDArray b = lent.remove(from);
            if (b != null) {
                lent.put(to, b);
            }
        }

        void release(int forSlot) {
            INDArray b = lent.remove(forSlot);
            if (b != null) {
                free.add(b);
            }
        }

        void endCall() {
            free.addAll(lent.values());
            lent.clear();
            free.removeIf(b -> usedThisCall.stream().noneMatch(u -> u == b));
            usedThisCall.clear();
        }
    }

    // ---- the steps

    /** A libnd4j custom op run through one reused context (what DL4J's own oneDNN helpers do). */
    private static final class NativeOp {
        private final DynamicCustomOp op;
        private final OpContext context = Nd4j.getExecutioner().buildContext();

        NativeOp(String name) {
            this.op = DynamicCustomOp.builder(name).build();
        }

        void exec(long[] intArgs, INDArray out, INDArray... in) {
            context.purge();
            context.setIArguments(intArgs);
            for (int i = 0; i < in.length; i++) {
                context.setInputArray(i, in[i]);
            }
            context.setOutputArray(0, out);
            Nd4j.exec(op, context);
        }
    }

    /** Output size along one axis, as DL4J computes it for Truncate and Same modes. */
    private static long outSize(long in, int k, int s, int p, int d, boolean same) {
        if (same) {
            return (in + s - 1) / s;
        }
        long eff = (long) (k - 1) * d + 1;
        return (in + 2L * p - eff) / s + 1;
    }

    private static int samePad(long in, long out, int k, int s, int d) {
        long eff = (long) (k - 1) * d + 1;
        return (int) Math.max(0, ((out - 1) * s + eff - in) / 2);
    }

    private static final class Conv extends Step {
        private final int[] k;
        private final int[] s;
        private final int[] p;
        private final int[] d;
        private final boolean same;
        private final INDArray w;
        private final INDArray b;
        private final IActivation act;
        private final NativeOp op = new NativeOp("conv2d");

        Conv(ConvolutionLayer c, INDArray w, INDArray b) {
            this.k = c.getKernelSize();
            this.s = c.getStride();
            this.p = c.getPadding();
            this.d = c.getDilation();
            this.same = c.getConvolutionMode() == ConvolutionMode.Same;
            this.w = w;
            this.b = b == null ? null : b.reshape(-1);
            this.act = c.getActivationFn();
        }

        @Override
        INDArray run(INDArray[] in, Buffers buffers) {
            INDArray x = in[0];
            long h = outSize(x.size(1), k[0], s[0], p[0], d[0], same);
            long wOut = outSize(x.size(2), k[1], s[1], p[1], d[1], same);
            int ph = same ? samePad(x.size(1), h, k[0], s[0], d[0]) : p[0];
            int pw = same ? samePad(x.size(2), wOut, k[1], s[1], d[1]) : p[1];
            INDArray out = buffers.take(x.size(0), h, wOut, w.size(0));
            // Format flags: 1 = NHWC data, 1 = weights [oC, iC, kH, kW] as DL4J keeps them.
            long[] args = {k[0], k[1], s[0], s[1], ph, pw, d[0], d[1], same ? 1 : 0, 1, 1};
            if (b == null) {
                op.exec(args, out, x, w);
            } else {
                op.exec(args, out, x, w, b);
            }
            return act instanceof ActivationIdentity ? out : act.getActivation(out, false);
        }
    }

    private static final class Pool extends Step {
        private final SubsamplingLayer conf;
        private final NativeOp op;

        Pool(SubsamplingLayer conf) {
            this.conf = conf;
            this.op = new NativeOp(conf.getPoolingType() == PoolingType.MAX ? "maxpool2d" : "avgpool2d");
        }

        @Override
        INDArray run(INDArray[] in, Buffers buffers) {
            INDArray x = in[0];
            int[] k = conf.getKernelSize();
            int[] s = conf.getStride();
            int[] p = conf.getPadding();
            int[] d = conf.getDilation();
            boolean same = conf.getConvolutionMode() == ConvolutionMode.Same;
            INDArray out = buffers.take(x.size(0), outSize(x.size(1), k[0], s[0], p[0], d[0], same),
                    outSize(x.size(2), k[1], s[1], p[1], d[1], same), x.size(3));
            // The same arguments as DL4J's SubsamplingLayer, but NHWC (last flag 1).
            int extra = conf.getPoolingType() == PoolingType.AVG && conf.isAvgPoolIncludePadInDivisor() ? 1 : 0;
            op.exec(new long[]{k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], same ? 1 : 0, extra, 1}, out, x);
            return out;
        }
    }

    private static final class GlobalPool extends Step {
        private final PoolingType type;

        GlobalPool(PoolingType type) {
            this.type = type;
        }

        @Override
        INDArray run(INDArray[] in, Buffers buffers) {
            INDArray x = in[0];
            if (x.rank() != 4) {
                throw new IllegalStateException("global pooling of a rank-" + x.rank() + " activation");
            }
            return switch (type) {
                case MAX -> x.max(1, 2);
                case AVG -> x.mean(1, 2);
                case SUM -> x.sum(1, 2);
                default -> throw new IllegalStateException("global " + type + " pooling");
            };
        }
    }

    /** Batch norm in inference: {@code y = x·s + t} per channel, the last axis here. */
    private static final class ScaleShift extends Step {
        private final INDArray scale;
        private final INDArray shift;

        ScaleShift(INDArray scale, INDArray shift) {
            this.scale = scale.reshape(1, -1);
            this.shift = shift.reshape(1, -1);
        }

        @Override
        INDArray run(INDArray[] in, Buffers buffers) {
            INDArray x = in[0];
            INDArray out = overwrite ? x : buffers.take(x.shape());
            INDArray flat = out.reshape('c', -1, scale.length());
            if (!overwrite) {
                flat.assign(x.reshape('c', -1, scale.length()));
            }
            flat.muliRowVector(scale).addiRowVector(shift);
            return out;
        }
    }

    private static final class Activation extends Step {
        private final IActivation fn;

        Activation(IActivation fn) {
            this.fn = fn;
        }

        @Override
        INDArray run(INDArray[] in, Buffers buffers) {
            return fn.getActivation(overwrite ? in[0] : buffers.take(in[0].shape()).assign(in[0]), false);
        }
    }

    private static final class Add extends Step {
        @Override
        INDArray run(INDArray[] in, Buffers buffers) {
            INDArray out = overwrite ? in[0] : buffers.take(in[0].shape());
            Nd4j.exec(new AddOp(in[0], in[1], out));
            for (int i = 2; i < in.length; i++) {
                out.addi(in[i]);
            }
            return out;
        }
    }

    private static final class Scale extends Step {
        private final double factor;

        Scale(double factor) {
            this.factor = factor;
        }

        @Override
        INDArray run(INDArray[] in, Buffers buffers) {
            return in[0].mul(factor, buffers.take(in[0].shape()));
        }
    }

    /** Concatenation along channels: the last axis here (DL4J's axis 1 of NCHW or of [N, features]). */
    private static final class Concat extends Step {
        private final NativeOp op = new NativeOp("concat");

        @Override
        INDArray run(INDArray[] in, Buffers buffers) {
            int axis = in[0].rank() - 1;
            long[] shape = in[0].shape().clone();
            for (int i = 1; i < in.length; i++) {
                shape[axis] += in[i].size(axis);
            }
            INDArray out = buffers.take(shape);
            op.exec(new long[]{axis}, out, in);
            return out;
        }
    }

    private static final class Dense extends Step {
        private final INDArray w;
        private final INDArray b;
        private final IActivation act;

        Dense(INDArray w, INDArray b, IActivation act) {
            this.w = w;
            this.b = b;
            this.act = act;
        }

        @Override
        INDArray run(INDArray[] in, Buffers buffers) {
            if (in[0].rank() != 2) {
                throw new IllegalStateException("dense layer on a rank-" + in[0].rank() + " activation");
            }
            INDArray out = in[0].mmul(w, buffers.take(in[0].size(0), w.size(1)));
            if (b != null) {
                out.addiRowVector(b);
            }
            return act instanceof ActivationIdentity ? out : act.getActivation(out, false);
        }
    }

    /**
     * A batch norm's inference map {@code y = s·x + t} per channel, from its running statistics:
     * {@code s = γ/√(σ² + ε)}, {@code t = β − μ·s}.
     */
    public static INDArray[] scaleShift(ComputationGraph graph, String bn) {
        BatchNormalization bnConf = (BatchNormalization) ((LayerVertex) graph.getConfiguration().getVertices()
                .get(bn)).getLayerConf().getLayer();
        INDArray gamma = graph.getParam(bn + "_" + BatchNormalizationParamInitializer.GAMMA).reshape(-1);
        INDArray beta = graph.getParam(bn + "_" + BatchNormalizationParamInitializer.BETA).reshape(-1);
        INDArray mean = graph.getParam(bn + "_" + BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(-1);
        INDArray var;
        if (bnConf.isUseLogStd()) {
            // DL4J keeps log10(σ) and, in inference, normalises by √(σ² + ε), as it does here.
            INDArray log10Std = graph.getParam(bn + "_" + BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                    .reshape(-1);
            INDArray std = Transforms.pow(log10Std.ulike().assign(10.0), log10Std, false);
            var = std.mul(std);
        } else {
            var = graph.getParam(bn + "_" + BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(-1).dup();
        }
        INDArray scale = gamma.div(Transforms.sqrt(var.add(bnConf.getEps()), false));
        return new INDArray[]{scale, beta.sub(mean.mul(scale))};
    }
}
