package dev.mvkt.backbones;

import dev.mvkt.backbones.engine.Engine;
import org.deeplearning4j.nn.conf.layers.PoolingType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CNN Hannun: the 34-layer residual 1-D CNN of Hannun et al. 2019 (Nature Medicine, "Cardiologist-level arrhythmia
 * detection…"), following the authors' public Keras code (github.com/awni/ecg, {@code ecg/network.py} with
 * {@code examples/cinc17/config.json}); the MVKT-ECG repository ships no definition of its own.
 *
 * <p>Stem conv (k16, bias) → BN → ReLU; 16 pre-activation residual blocks, block i with
 * {@code filters·2^⌊i/4⌋} channels and stride 2 on odd i: [BN → ReLU] (not in block 0) → conv k16 (stride) → BN →
 * ReLU → dropout 0.2 → conv k16; shortcut = max-pool by the stride, channels doubled by appending zeros where the
 * width doubles (blocks 4, 8, 12); then BN → ReLU. 33 convolutions + the output layer = 34 layers.
 *
 * <p>Departures, all parameter-free: (1) the reference labels every 256 samples (time-distributed Dense + softmax);
 * for multi-label records this head averages over time first and applies the Dense once (for a linear layer the
 * same as averaging its per-step logits), and the time-averaged vector is the feature vector for CLT
 * ({@code filters·8} values, 256 by default). (2) Keras {@code padding='same'} with the even kernel 16 pads 7 before
 * and 8 after (stride 1) or 7 and 7 (stride 2, even length): DL4J's {@code ConvolutionMode.Same} pads identically.
 * (3) The shortcut pools in ceil mode (window 2, the last window partial), where Keras's valid pooling floors: the
 * same for lengths divisible by 2^8 as in the reference, and it lets 1000 or 5000 samples through, which the
 * reference rejects (the two branches would differ in length).
 *
 * <p>Initialisation as the reference: convolutions Keras {@code he_normal} (truncated normal σ = √(2/fan_in)),
 * biases 0, the Dense {@code glorot_uniform}; batch norm as Keras's defaults, momentum 0.99 (DL4J decay 0.99) and
 * ε = 1e-3.
 */
final class CnnHannun implements Backbone {
    static final String NAME = "cnn_hannun";
    /** Widths double every this many blocks (the reference's {@code conv_increase_channels_at}). */
    private static final int INCREASE_EVERY = 4;

    private final int filters;
    private final int kernel;
    private final int blocks;
    private final double dropout;

    CnnHannun(int filters, int kernel, int blocks, double dropout) {
        this.filters = filters;
        this.kernel = kernel;
        this.blocks = blocks;
        this.dropout = dropout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("filters", filters);
        c.put("kernel", kernel);
        c.put("blocks", blocks);
        c.put("dropout", dropout);
        return c;
    }

    @Override
    public EcgNetwork build(NetworkSpec spec) {
        Engine.configure();
        GraphParts p = new GraphParts(spec, GraphParts.glorotUniform(), 1e-3, 0.99);
        int leads = spec.inputLeads();
        String x = p.convSame("stem", "ecg", leads, filters, kernel, 1, true, GraphParts.kerasHeNormal(leads, kernel));
        x = p.relu("stem_relu", p.bn("stem_bn", x, filters));
        int in = filters;
        for (int i = 0; i < blocks; i++) {
            int out = filters << (i / INCREASE_EVERY);
            int stride = i % 2 == 1 ? 2 : 1;
            String b = "b" + i;
            String shortcut = stride == 1 ? x : p.poolCeil(b + "_pool", x, PoolingType.MAX, stride);
            if (out != in) {
                shortcut = p.concat(b + "_zeropad", shortcut, p.zerosLike(b + "_zeros", shortcut));
            }
            String y = x;
            if (i > 0) {
                y = p.relu(b + "_pre_relu", p.bn(b + "_pre_bn", y, in));
            }
            y = p.convSame(b + "_c1", y, in, out, kernel, stride, true, GraphParts.kerasHeNormal(in, kernel));
            y = p.relu(b + "_c1_relu", p.bn(b + "_c1_bn", y, out));
            y = p.dropout(b + "_drop", y, dropout);
            y = p.convSame(b + "_c2", y, out, out, kernel, 1, true, GraphParts.kerasHeNormal(out, kernel));
            x = p.add(b + "_add", y, shortcut);
            in = out;
        }
        x = p.relu("final_relu", p.bn("final_bn", x, in));
        String features = p.globalPool("features", x, PoolingType.AVG);
        p.logits(features, in, spec.classes(), GraphParts.glorotUniform());
        return p.build(features, NAME, config(), in);
    }
}
