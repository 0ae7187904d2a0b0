package dev.mvkt.backbones;

import dev.mvkt.backbones.engine.Engine;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.IWeightInit;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * XResNet1d101, a 1-D bottleneck XResNet (expansion 4, blocks [3, 4, 23, 3]) in two reference variants.
 *
 * <p>{@link Backbones.XResNetVariant#MVKT_PAPER} (the default) follows the paper's own code, QINYZz/MVKT-ECG
 * {@code models/xresnet_1d.py} ({@code xresnet101}): stem of three conv k3 → BN → ReLU (32, 64, 64 channels, the
 * first with stride 2) → max-pool 3/2/1; stages of hidden width 64, 128, 256, 512 (outputs ×4); head: global average
 * ‖ global max pooling → linear. Its features are that concat vector, 2·2048 = 4096 values (the paper's D).
 * Convolutions are initialised N(0, 2/(out·k)) ({@code kaiming_normal_}, fan_out); every BN starts at gamma 1,
 * beta 0 (the code zero-inits each block's last BN gamma while building, then its final init loop sets every gamma
 * back to 1, so none stays at zero); the linear layer keeps PyTorch's default.
 *
 * <p>{@link Backbones.XResNetVariant#PTBXL_BENCHMARK} follows Strodthoff et al.'s PTB-XL benchmark,
 * helme/ecg_ptbxl_benchmarking {@code code/models/xresnet1d.py} ({@code xresnet1d101()} defaults): stem kernel 5
 * with 32, 32, 64 channels; every stage of hidden width 64 (outputs 256); block kernel 5; head
 * {@code create_head1d} with the benchmark configurations' {@code lin_ftrs_head=[128]}: max ‖ average pooling → BN →
 * dropout 0.25 → linear(→ 128) → ReLU → BN → dropout 0.5 → linear ({@code headHidden = 0}: BN → dropout 0.5 →
 * linear); features 512 values. fastai's
 * {@code init_cnn}: conv and linear weights {@code kaiming_normal_} (fan_in), all biases 0, and the last BN of each
 * residual branch starts at gamma 0.
 *
 * <p>Both: block = 1×1 conv → BN → ReLU → conv k (stride) → BN → ReLU → 1×1 conv → BN, plus a shortcut that
 * average-pools by 2 in ceil mode when strided, then 1×1 conv + BN when the channel count changes; add → ReLU.
 * Convolutions have no bias; BN momentum 0.1, ε 1e-5.
 */
final class XResNet1d101 implements Backbone {
    static final String NAME = "xresnet1d101";
    private static final int EXPANSION = 4;

    private final Backbones.XResNetVariant variant;
    private final int[] stemWidths;
    private final int[] widths;
    private final int[] layers;
    private final int kernel;
    private final int stemKernel;
    private final double dropout;
    private final int headHidden;

    XResNet1d101(Backbones.XResNetVariant variant, int[] stemWidths, int[] widths, int[] layers, int kernel,
                 int stemKernel, double dropout, int headHidden) {
        this.variant = variant;
        this.stemWidths = stemWidths.clone();
        this.widths = widths.clone();
        this.layers = layers.clone();
        this.kernel = kernel;
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
        c.put("variant", variant.name());
        c.put("stemWidths", Arrays.toString(stemWidths));
        c.put("widths", Arrays.toString(widths));
        c.put("layers", Arrays.toString(layers));
        c.put("expansion", EXPANSION);
        c.put("kernel", kernel);
        c.put("stemKernel", stemKernel);
        if (variant == Backbones.XResNetVariant.PTBXL_BENCHMARK) {
            c.put("dropout", dropout);
            c.put("headHidden", headHidden);
        }
        return c;
    }

    private boolean paper() {
        return variant == Backbones.XResNetVariant.MVKT_PAPER;
    }

    private IWeightInit convInit(int nOut, int k) {
        return paper() ? GraphParts.kaimingNormalFanOut(nOut, k) : GraphParts.kaimingNormalFanIn();
    }

    @Override
    public EcgNetwork build(NetworkSpec spec) {
        Engine.configure();
        GraphParts p = new GraphParts(spec, GraphParts.pytorchDefault(), 1e-5, 0.9);
        String x = "ecg";
        int in = spec.inputLeads();
        for (int i = 0; i < stemWidths.length; i++) {
            int out = stemWidths[i];
            x = p.convBn("stem" + i, x, in, out, stemKernel, i == 0 ? 2 : 1, true, false, convInit(out, stemKernel));
            in = out;
        }
        x = p.maxPool("stem_pool", x, 3, 2, 1);
        boolean zeroLastGamma = !paper();
        for (int s = 0; s < layers.length; s++) {
            int hidden = widths[s];
            int out = hidden * EXPANSION;
            for (int j = 0; j < layers[s]; j++) {
                int stride = s > 0 && j == 0 ? 2 : 1;
                String b = "s" + (s + 1) + "b" + j;
                String y = p.convBn(b + "_c1", x, in, hidden, 1, 1, true, false, convInit(hidden, 1));
                y = p.convBn(b + "_c2", y, hidden, hidden, kernel, stride, true, false, convInit(hidden, kernel));
                y = p.convBn(b + "_c3", y, hidden, out, 1, 1, false, zeroLastGamma, convInit(out, 1));
                String shortcut = x;
                if (stride != 1) {
                    shortcut = p.poolCeil(b + "_id_pool", shortcut, PoolingType.AVG, stride);
                }
                if (in != out) {
                    shortcut = p.convBn(b + "_id", shortcut, in, out, 1, 1, false, false, convInit(out, 1));
                }
                x = p.relu(b + "_relu", p.add(b + "_add", y, shortcut));
                in = out;
            }
        }
        int featureDim = 2 * in;
        String features;
        if (paper()) {
            features = p.concat("features", p.globalPool("features_avg", x, PoolingType.AVG),
                    p.globalPool("features_max", x, PoolingType.MAX));
            p.logits(features, featureDim, spec.classes(), null);
        } else {
            features = p.concatPoolMaxAvg("features", x);
            p.benchmarkHead(features, featureDim, spec.classes(), dropout, headHidden,
                    GraphParts.kaimingNormalFanIn());
        }
        return p.build(features, NAME, config(), featureDim);
    }
}
