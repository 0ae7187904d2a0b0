package dev.mvkt.backbones;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weight decay as PyTorch's {@code Adam(weight_decay)} applies it: with a zero loss gradient and plain SGD, one step
 * must shrink every trained parameter by {@code lr·wd·θ} (biases and batch norm's gamma and beta included) with
 * {@link DecayScope#ALL_PARAMETERS}, and only the weights with {@link DecayScope#WEIGHTS_ONLY}.
 */
class WeightDecayTest {

    @ParameterizedTest
    @EnumSource(DecayScope.class)
    void oneStepOnAZeroLossShrinksExactlyTheDecayedParameters(DecayScope scope) {
        double lr = 0.5;
        double wd = 0.01;
        Backbone b = Backbones.inception1dBuilder().optFilters(2).optBottleneck(2).optKernel(8).optDepth(3).build();
        EcgNetwork net = b.build(new NetworkSpec(2, 3, 7, new Sgd(lr), wd, scope));
        Map<String, INDArray> before = new java.util.TreeMap<>();
        net.graph().paramTable().forEach((k, v) -> before.put(k, v.dup()));
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 2, 40, 1);
        net.trainStep(x, o -> new EcgNetwork.Outputs(Nd4j.zerosLike(o.logits()), null));
        int decayed = 0;
        int kept = 0;
        for (var e : before.entrySet()) {
            String k = e.getKey();
            if (k.endsWith("_mean") || k.endsWith("_var") || k.endsWith("_log10stdev")) {
                continue; // running statistics move with the batch, not with the gradient
            }
            boolean weight = k.endsWith("_W");
            boolean shouldDecay = weight || scope == DecayScope.ALL_PARAMETERS;
            INDArray want = shouldDecay ? e.getValue().mul(1 - lr * wd) : e.getValue();
            INDArray got = net.graph().getParam(k);
            double scale = Math.max(1e-6, e.getValue().amaxNumber().doubleValue());
            assertEquals(0, want.sub(got).amaxNumber().doubleValue() / scale, 1e-5, k + " with " + scope);
            if (shouldDecay && e.getValue().amaxNumber().doubleValue() > 0) {
                decayed++;
            } else {
                kept++;
            }
        }
        assertTrue(before.keySet().stream().anyMatch(k -> k.endsWith("_gamma")), "the network has batch norms");
        assertTrue(decayed > 0 && (scope == DecayScope.ALL_PARAMETERS || kept > 0), decayed + " / " + kept);
    }
}
