package dev.mvkt.backbones.engine;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.nn.api.FwdPassType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Internal, not API. A ComputationGraph that trains on errors computed outside DL4J, with the forward pass, the caller's loss and the
 * backward pass all inside one set of DL4J workspaces, exactly as {@code fit} does.
 *
 * <p>DL4J's public external-error path ({@code feedForward} then {@code backpropGradient}) keeps layer state such as
 * dropout masks in workspaces that are closed by the time backprop runs, and fails; this subclass reuses the
 * protected machinery {@code computeGradientAndScore} uses. With another DL4J version than
 * {@link Engine#SUPPORTED_VERSION} that machinery may differ, so the graph trains without workspaces through the
 * public {@code feedForward}/{@code backpropGradient} instead (slower, same gradient).
 */
public final class TrainableGraph extends ComputationGraph {

    private long forwardNanos;
    private long backwardNanos;

    public TrainableGraph(ComputationGraphConfiguration configuration) {
        super(configuration);
    }

    /** Cumulative time spent in the forward passes of {@link #gradient}, in nanoseconds. */
    public long forwardNanos() {
        return forwardNanos;
    }

    /** Cumulative time spent in the backward passes of {@link #gradient}, in nanoseconds. */
    public long backwardNanos() {
        return backwardNanos;
    }

    /**
     * One forward pass in training mode, then {@code errors.apply(outputs)} (detached copies of the network outputs,
     * in output order) must return dL/doutput for each output; then backprop. Returns the parameter gradient, still a
     * view of the network's gradient array.
     */
    public Gradient gradient(INDArray input, Function<INDArray[], INDArray[]> errors) {
        return Engine.internalsSupported() ? gradientInWorkspaces(input, errors) : gradientPublic(input, errors);
    }

    /** The plain path: DL4J's public calls, which work only with workspaces off. */
    Gradient gradientPublic(INDArray input, Function<INDArray[], INDArray[]> errors) {
        ComputationGraphConfiguration conf = getConfiguration();
        WorkspaceMode before = conf.getTrainingWorkspaceMode();
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        try {
            long start = System.nanoTime();
            Map<String, INDArray> acts = feedForward(new INDArray[]{input}, true, false);
            List<String> outputs = conf.getNetworkOutputs();
            INDArray[] outs = new INDArray[outputs.size()];
            for (int i = 0; i < outs.length; i++) {
                outs[i] = acts.get(outputs.get(i)).dup();
            }
            forwardNanos += System.nanoTime() - start;
            INDArray[] eps = errors.apply(outs);
            long back = System.nanoTime();
            Gradient g = backpropGradient(eps);
            backwardNanos += System.nanoTime() - back;
            return g;
        } finally {
            conf.setTrainingWorkspaceMode(before);
            clearLayersStates();
        }
    }

    Gradient gradientInWorkspaces(INDArray input, Function<INDArray[], INDArray[]> errors) {
        LayerWorkspaceMgr mgr;
        if (getConfiguration().getTrainingWorkspaceMode() == WorkspaceMode.NONE) {
            mgr = LayerWorkspaceMgr.noWorkspaces();
        } else {
            mgr = LayerWorkspaceMgr.builder()
                    .with(ArrayType.ACTIVATIONS, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG)
                    .with(ArrayType.INPUT, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG)
                    .with(ArrayType.FF_WORKING_MEM, WS_LAYER_WORKING_MEM, WS_LAYER_WORKING_MEM_CONFIG)
                    .with(ArrayType.BP_WORKING_MEM, WS_LAYER_WORKING_MEM, WS_LAYER_WORKING_MEM_CONFIG)
                    .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM_CONFIG)
                    .with(ArrayType.RNN_BP_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM_CONFIG)
                    .with(ArrayType.UPDATER_WORKING_MEM, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG)
                    .build();
        }
        mgr.setHelperWorkspacePointers(helperWorkspaces);
        List<String> outputs = getConfiguration().getNetworkOutputs();
        try (MemoryWorkspace ws = mgr.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            long start = System.nanoTime();
            Map<String, INDArray> acts = ffToLayerActivationsInWS(true, -1, null, FwdPassType.STANDARD, false,
                    new INDArray[]{input}, null, null, false);
            INDArray[] outs = new INDArray[outputs.size()];
            for (int i = 0; i < outs.length; i++) {
                outs[i] = acts.get(outputs.get(i)).detach();
            }
            forwardNanos += System.nanoTime() - start;
            INDArray[] eps = errors.apply(outs);
            long back = System.nanoTime();
            calcBackpropGradients(false, false, eps);
            backwardNanos += System.nanoTime() - back;
        } finally {
            for (GraphVertex v : getVertices()) {
                v.clear();
            }
        }
        return gradient;
    }

    /** Copies a plain graph (for example one read by ModelSerializer) into a trainable one. */
    public static TrainableGraph of(ComputationGraph graph) {
        if (graph instanceof TrainableGraph t) {
            return t;
        }
        TrainableGraph t = new TrainableGraph(graph.getConfiguration().clone());
        t.init(graph.params().dup(), false);
        if (graph.getUpdater(false) != null && graph.getUpdater().getStateViewArray() != null) {
            t.getUpdater().setStateViewArray(graph.getUpdater().getStateViewArray().dup());
        }
        return t;
    }

    @Override
    public TrainableGraph clone() {
        TrainableGraph t = new TrainableGraph(getConfiguration().clone());
        t.init(params().dup(), false);
        if (getUpdater(false) != null && getUpdater().getStateViewArray() != null) {
            t.getUpdater().setStateViewArray(getUpdater().getStateViewArray().dup());
        }
        return t;
    }
}
