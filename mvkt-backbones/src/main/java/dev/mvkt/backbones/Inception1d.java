package dev.mvkt.backbones;

import dev.mvkt.backbones.engine.Engine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inception1d: the PTB-XL benchmark's InceptionTime variant (Strodthoff et al., helme/ecg_ptbxl_benchmarking
 * {@code code/models/inception1d.py}, {@code inception1d()} with its defaults: kernel 40, depth 6, bottleneck 32,
 * 32 filters, residual).
 *
 * <p>Each inception block: a 1×1 bottleneck to 32 channels feeding three convolutions of kernels 39, 19 and 9 (the
 * kernels 40, 20, 10 made odd), in parallel with max-pool 3/1/1 → 1×1 conv on the block input; the four 32-channel
 * branches are concatenated → BN → ReLU. Every third block adds a shortcut from the input of the group of three
 * (1×1 conv + BN), then ReLU. Head as the benchmark trains it ({@code create_head1d} with
 * {@code lin_ftrs_head=[128]}): concat pooling (max ‖ average) → BN → dropout 0.25 → linear(→ 128) → ReLU → BN →
 * dropout 0.5 → linear ({@code headHidden = 0}: BN → dropout 0.5 → linear); features are the concat-pooled vector, {@code 2·4·filters} = 256 values by default.
 *
 * <p>Convolutions have no bias. Initialisation as the reference, which keeps PyTorch's defaults: U(±1/√fan_in);
 * BN momentum 0.1, ε 1e-5.
 */
final class Inception1d implements Backbone {
    static final String NAME = "inception1d";

    private final int filters;
    private final int bottleneck;
    private final int kernel;
    private final int depth;
    private final double dropout;
    private final int headHidden;

    Inception1d(int filters, int bottleneck, int kernel, int depth, double dropout, int headHidden) {
        this.filters = filters;
        this.bottleneck = bottleneck;
        this.kernel = kernel;
        this.depth = depth;
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
        c.put("filters", filters);
        c.put("bottleneck", bottleneck);
        c.put("kernel", kernel);
        c.put("depth", depth);
        c.put("dropout", dropout);
        c.put("headHidden", headHidden);
        return c;
    }

    /** The three branch kernels, {@code k, k/2, k/4} each made odd by subtracting one, as the reference. */
    static int[] branchKernels(int kernel) {
        int[] k = {kernel, kernel / 2, kernel / 4};
        for (int i = 0; i < k.length; i++) {
            k[i] = k[i] % 2 == 0 ? k[i] - 1 : k[i];
        }
        return k;
    }

    @Override
    public EcgNetwork build(NetworkSpec spec) {
        Engine.configure();
        GraphParts p = new GraphParts(spec, GraphParts.pytorchDefault(), 1e-5, 0.9);
        int[] kss = branchKernels(kernel);
        int blockOut = (kss.length + 1) * filters;
        String x = "ecg";
        int in = spec.inputLeads();
        String residual = x;
        int residualIn = in;
        for (int d = 0; d < depth; d++) {
            String b = "im" + d;
            String bottled = bottleneck > 0 ? p.conv(b + "_bottleneck", x, in, bottleneck, 1, 1, false, null) : x;
            int bottledIn = bottleneck > 0 ? bottleneck : in;
            String[] branches = new String[kss.length + 1];
            for (int i = 0; i < kss.length; i++) {
                branches[i] = p.conv(b + "_k" + kss[i], bottled, bottledIn, filters, kss[i], 1, false, null);
            }
            String pooled = p.maxPool(b + "_pool", x, 3, 1, 1);
            branches[kss.length] = p.conv(b + "_pool_conv", pooled, in, filters, 1, 1, false, null);
            x = p.relu(b + "_relu", p.bn(b + "_bn", p.concat(b + "_cat", branches), blockOut));
            in = blockOut;
            if (d % 3 == 2) {
                String sk = "sk" + d / 3;
                String shortcut = p.convBn(sk, residual, residualIn, blockOut, 1, 1, false, false, null);
                x = p.relu(sk + "_relu", p.add(sk + "_add", x, shortcut));
                residual = x;
                residualIn = blockOut;
            }
        }
        String features = p.concatPoolMaxAvg("features", x);
        p.benchmarkHead(features, 2 * blockOut, spec.classes(), dropout, headHidden, null);
        return p.build(features, NAME, config(), 2 * blockOut);
    }
}
