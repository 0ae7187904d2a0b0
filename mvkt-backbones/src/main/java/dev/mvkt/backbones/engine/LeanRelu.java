package dev.mvkt.backbones.engine;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J ReLU activation layer that runs the same libnd4j ops as DL4J's, without its copies: the forward pass writes
 * {@code relu(x)} straight into the output, and the backward pass writes {@code relu_bp(x, ε)} straight into the
 * input gradient.
 *
 * <p>Why: DL4J {@value Engine#SUPPORTED_VERSION}'s activation layer copies its input before the forward op, and in
 * the backward pass copies the input again, computes into a third array and copies that back: three copies of a full
 * activation per ReLU layer per step (most of the {@code old_assign} time in the op profiles of docs/performance.md).
 * The arithmetic is the same op with the same arguments, so the results are identical.
 *
 * <p>Only a plain ReLU (no threshold, slope or maximum) on a c-contiguous input is handled here; anything else runs
 * DL4J's code.
 */
final class LeanRelu extends ActivationLayer {

    LeanRelu(NeuralNetConfiguration conf, org.nd4j.linalg.api.buffer.DataType dataType) {
        super(conf, dataType);
    }

    /** Whether {@code layer}'s activation is a plain ReLU, which this class computes. */
    static boolean plainRelu(org.deeplearning4j.nn.conf.layers.ActivationLayer layer) {
        return layer.getActivationFn() instanceof ActivationReLU r && zero(r.getThreshold())
                && zero(r.getNegativeSlope()) && r.getMax() == null;
    }

    private static boolean zero(Double d) {
        return d == null || d == 0.0;
    }

    private boolean handles(INDArray in) {
        return in != null && in.dataType().isFPType() && FastBatchNorm.isCContiguous(in)
                && plainRelu(layerConf());
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!handles(input)) {
            return super.activate(training, workspaceMgr);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        Nd4j.getExecutioner().exec(new RectifiedLinear(input, out, 0.0));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!handles(input) || epsilon.dataType() != input.dataType() || !FastBatchNorm.isCContiguous(epsilon)
                || !java.util.Arrays.equals(epsilon.shape(), input.shape())) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(),
                'c');
        Nd4j.getExecutioner().exec(new RectifiedLinearDerivative(input, epsilon, dx, 0.0));
        return new Pair<>(new DefaultGradient(), dx);
    }
}
