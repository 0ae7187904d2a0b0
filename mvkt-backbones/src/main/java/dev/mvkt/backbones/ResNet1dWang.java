package dev.mvkt.backbones;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ResNet1d_wang (Wang et al. 2017, as in Strodthoff et al.'s PTB-XL benchmark, {@code resnet1d_wang}):
 * stem conv k7 stride 1 → BN → ReLU (no pooling); three basic blocks of {@code width} channels with kernels 5 and 3
 * and strides 1, 2, 2 (1×1 conv + BN on the shortcut when the stride is not 1); head: concat pooling
 * (max ‖ average) → BN → dropout 0.25 → linear(→ 128) → ReLU → BN → dropout 0.5 → linear, as the benchmark trains it
 * ({@code lin_ftrs_head=[128]}); {@code headHidden = 0} gives {@code create_head1d}'s default head, BN → dropout 0.5
 * → linear.
 *
 * <p>Features for CLT are the concat-pooled vector, {@code 2·width} values. Convolutions have no bias and pad
 * {@code (k−1)/2} on both sides, as the reference, so output lengths match PyTorch exactly. Weights are drawn
 * U(±1/√fan_in), PyTorch's default for convolutions and linear layers; batch norm uses momentum 0.1 (DL4J decay 0.9)
 * and ε = 1e-5.
 */
final class ResNet1dWang implements Backbone {
    static final String NAME = "resnet1d_wang";

    private final int width;
    private final int kernel1;
    private final int kernel2;
    private final int stemKernel;
    private final double dropout;
    private final int headHidden;

    ResNet1dWang(int width, int kernel1, int kernel2, int stemKernel, double dropout, int headHidden) {
        this.width = width;
        this.kernel1 = kernel1;
        this.kernel2 = kernel2;
        this.stemKernel = stemKernel;
        this.dropout = dropout;
        this.headHidden = headHidden;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("width", width);
        c.put("kernels", kernel1 + "," + kernel2);
        c.put("stemKernel", stemKernel);
        c.put("blocks", 3);
        c.put("dropout", dropout);
        c.put("headHidden", headHidden);
        return c;
    }

    @Override
    public EcgNetwork build(NetworkSpec spec) {
        GraphParts p = new GraphParts(spec, GraphParts.pytorchDefault(), 1e-5, 0.9);
        String x = p.convBn("stem", "ecg", spec.inputLeads(), width, stemKernel, 1, true, false, null);
        x = block(p, "b1", x, 1);
        x = block(p, "b2", x, 2);
        x = block(p, "b3", x, 2);
        String features = p.concatPoolMaxAvg("features", x);
        p.benchmarkHead(features, 2 * width, spec.classes(), dropout, headHidden, null);
        return p.build(features, NAME, config(), 2 * width);
    }

    private String block(GraphParts p, String name, String in, int stride) {
        String a = p.convBn(name + "_c1", in, width, width, kernel1, stride, true, false, null);
        String b = p.convBn(name + "_c2", a, width, width, kernel2, 1, false, false, null);
        String shortcut = stride == 1 ? in : p.convBn(name + "_down", in, width, width, 1, stride, false, false, null);
        return p.relu(name + "_relu", p.add(name + "_add", b, shortcut));
    }
}
