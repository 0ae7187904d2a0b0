package dev.mvkt.backbones;

import dev.mvkt.backbones.engine.Engine;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ResNet1d34: the PTB-XL benchmark's 1-D adaptation of torchvision's ResNet (Strodthoff et al.,
 * helme/ecg_ptbxl_benchmarking {@code code/models/resnet1d.py}, {@code ResNet1d(BasicBlock1d, [3, 4, 6, 3])}),
 * configured as ResNet-34; the MVKT-ECG repository ships no ResNet-34 of its own.
 *
 * <p>Stem conv k7 stride 2 → BN → ReLU → max-pool 3/2/1; four stages of basic blocks ([3, 4, 6, 3]) with
 * {@code width·2^i} channels, kernels 3 and 3, stride 2 in the first block of stages 2–4, shortcut 1×1 conv + BN
 * where shape changes; head as the benchmark's {@code create_head1d}: concat pooling (max ‖ average) → BN → dropout
 * 0.5 → linear. Features are the concat-pooled vector, {@code 2·8·width} = 1024 values by default.
 *
 * <p>The benchmark's {@code resnet1d34()} does not run with its own defaults, so three settings are chosen as in
 * torchvision's ResNet-34 (the model the class says it adapts): block kernels [3, 3] (an int kernel 3 expands to
 * [3, 2], whose even second kernel shortens the branch by one sample and the residual add fails), channels doubling
 * per stage ({@code fix_feature_dim=False}; the benchmark's head then expects 2^4·64 channels where the last stage
 * has 2^3·64, another crash, so the head is sized to the last stage), and stem kernel 7 (the benchmark defaults it to
 * the block kernel 3). {@code optFixedWidth(true)} and {@code optStemKernel(3)} give the benchmark's other layout.
 *
 * <p>Initialisation as the reference, which keeps PyTorch's defaults: U(±1/√fan_in); BN momentum 0.1, ε 1e-5.
 */
final class ResNet1d34 implements Backbone {
    static final String NAME = "resnet1d34";

    private final int width;
    private final int[] layers;
    private final int kernel;
    private final int stemKernel;
    private final boolean fixedWidth;
    private final double dropout;

    ResNet1d34(int width, int[] layers, int kernel, int stemKernel, boolean fixedWidth, double dropout) {
        this.width = width;
        this.layers = layers.clone();
        this.kernel = kernel;
        this.stemKernel = stemKernel;
        this.fixedWidth = fixedWidth;
        this.dropout = dropout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("width", width);
        c.put("layers", Arrays.toString(layers));
        c.put("kernel", kernel);
        c.put("stemKernel", stemKernel);
        c.put("fixedWidth", fixedWidth);
        c.put("dropout", dropout);
        return c;
    }

    @Override
    public EcgNetwork build(NetworkSpec spec) {
        Engine.configure();
        GraphParts p = new GraphParts(spec, GraphParts.pytorchDefault(), 1e-5, 0.9);
        String x = p.convBn("stem", "ecg", spec.inputLeads(), width, stemKernel, 2, true, false, null);
        x = p.maxPool("stem_pool", x, 3, 2, 1);
        int in = width;
        for (int s = 0; s < layers.length; s++) {
            int planes = fixedWidth ? width : width << s;
            for (int j = 0; j < layers[s]; j++) {
                int stride = s > 0 && j == 0 ? 2 : 1;
                String b = "s" + (s + 1) + "b" + j;
                String y = p.convBn(b + "_c1", x, in, planes, kernel, stride, true, false, null);
                y = p.convBn(b + "_c2", y, planes, planes, kernel, 1, false, false, null);
                String shortcut = x;
                if (stride != 1 || in != planes) {
                    shortcut = p.convBn(b + "_down", x, in, planes, 1, stride, false, false, null);
                }
                x = p.relu(b + "_relu", p.add(b + "_add", y, shortcut));
                in = planes;
            }
        }
        String features = p.concatPoolMaxAvg("features", x);
        p.benchmarkHead(features, 2 * in, spec.classes(), dropout, 0, null);
        return p.build(features, NAME, config(), 2 * in);
    }
}
