package dev.mvkt.backbones;

/**
 * The backbone zoo: one builder per architecture of the paper (CNN Hannun, ResNet1d34, ResNet1d_wang, Inception1d,
 * XResNet1d101). Each zoo method gives the reference configuration; each {@code ...Builder()} varies widths and
 * depths (tiny versions keep unit tests fast). Every backbone accepts any number of leads and classes and any signal
 * length, and exposes its pooled feature vector.
 */
public final class Backbones {
    private Backbones() {
    }

    /** The zoo's names, in the paper's order. */
    public static java.util.List<String> names() {
        return java.util.List.of(CnnHannun.NAME, ResNet1d34.NAME, ResNet1dWang.NAME, Inception1d.NAME,
                XResNet1d101.NAME);
    }

    /** The reference configuration of the backbone called {@code name} (one of {@link #names()}). */
    public static Backbone named(String name) {
        return switch (String.valueOf(name)) {
            case CnnHannun.NAME -> cnnHannun();
            case ResNet1d34.NAME -> resnet1d34();
            case ResNet1dWang.NAME -> resnet1dWang();
            case Inception1d.NAME -> inception1d();
            case XResNet1d101.NAME -> xresnet1d101();
            default -> throw new IllegalArgumentException("unknown backbone '" + name + "'; known: " + names());
        };
    }

    private static void checkPositive(String what, int... values) {
        for (int v : values) {
            if (v < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, was " + v);
            }
        }
    }

    private static void checkOddKernel(String what, int k) {
        if (k < 1 || k % 2 == 0) {
            throw new IllegalArgumentException(what + " must be odd and >= 1, was " + k);
        }
    }

    private static void checkDropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), was " + p);
        }
    }

    private static void checkHeadHidden(int units) {
        if (units < 0) {
            throw new IllegalArgumentException("headHidden must be >= 0 (0: no hidden layer), was " + units);
        }
    }

    // ---------------------------------------------------------------- CNN Hannun

    /** CNN Hannun (Hannun et al. 2019) with the reference settings: 32 filters, kernel 16, 16 blocks, dropout 0.2. */
    public static Backbone cnnHannun() {
        return cnnHannunBuilder().build();
    }

    /** A builder to vary CNN Hannun's filters, kernel or depth. */
    public static CnnHannunBuilder cnnHannunBuilder() {
        return new CnnHannunBuilder();
    }

    /** Builder of {@link #cnnHannun()}; {@code build()} names any bad value. */
    public static final class CnnHannunBuilder {
        private int filters = 32;
        private int kernel = 16;
        private int blocks = 16;
        private double dropout = 0.2;

        private CnnHannunBuilder() {
        }

        /** Filters of the stem and the first four blocks, doubling every four blocks (reference: 32). */
        public CnnHannunBuilder optFilters(int filters) {
            this.filters = filters;
            return this;
        }

        /** Kernel size of every convolution, even or odd ('same' padding; reference: 16). */
        public CnnHannunBuilder optKernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        /** Number of residual blocks, every second one subsampling by 2 (reference: 16). */
        public CnnHannunBuilder optBlocks(int blocks) {
            this.blocks = blocks;
            return this;
        }

        /** Dropout inside each block, before its second convolution (reference: 0.2). */
        public CnnHannunBuilder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        public Backbone build() {
            checkPositive("filters", filters);
            checkPositive("kernel", kernel);
            checkPositive("blocks", blocks);
            if (blocks > 28) {
                throw new IllegalArgumentException("blocks must be <= 28 (widths double every 4), was " + blocks);
            }
            checkDropout(dropout);
            return new CnnHannun(filters, kernel, blocks, dropout);
        }
    }

    // ---------------------------------------------------------------- ResNet1d34

    /** ResNet1d34 with the reference settings: width 64 doubling per stage, blocks [3, 4, 6, 3], kernel 3. */
    public static Backbone resnet1d34() {
        return resnet1d34Builder().build();
    }

    /** A builder to vary ResNet1d34's width, depth or kernels. */
    public static ResNet1d34Builder resnet1d34Builder() {
        return new ResNet1d34Builder();
    }

    /** Builder of {@link #resnet1d34()}; {@code build()} names any bad value. */
    public static final class ResNet1d34Builder {
        private int width = 64;
        private int[] layers = {3, 4, 6, 3};
        private int kernel = 3;
        private int stemKernel = 7;
        private boolean fixedWidth;
        private double dropout = 0.5;

        private ResNet1d34Builder() {
        }

        /** Channels of the stem and the first stage (reference: 64). */
        public ResNet1d34Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /** Basic blocks per stage (reference: 3, 4, 6, 3). */
        public ResNet1d34Builder optLayers(int... layers) {
            this.layers = layers == null ? null : layers.clone();
            return this;
        }

        /** Kernel of both convolutions of a block (reference: 3). */
        public ResNet1d34Builder optKernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        /** Kernel of the stem convolution (reference: 7, as torchvision; the PTB-XL benchmark's default is 3). */
        public ResNet1d34Builder optStemKernel(int stemKernel) {
            this.stemKernel = stemKernel;
            return this;
        }

        /** Keeps every stage at {@code width} channels, the benchmark's {@code fix_feature_dim} (reference: false). */
        public ResNet1d34Builder optFixedWidth(boolean fixedWidth) {
            this.fixedWidth = fixedWidth;
            return this;
        }

        /** Dropout before the final linear layer (reference: 0.5). */
        public ResNet1d34Builder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        public Backbone build() {
            checkPositive("width", width);
            if (layers == null || layers.length == 0) {
                throw new IllegalArgumentException("layers must name at least one stage");
            }
            checkPositive("blocks per stage", layers);
            checkOddKernel("kernel", kernel);
            checkOddKernel("stem kernel", stemKernel);
            checkDropout(dropout);
            return new ResNet1d34(width, layers, kernel, stemKernel, fixedWidth, dropout);
        }
    }

    // ---------------------------------------------------------------- Inception1d

    /** Inception1d with the reference settings: 32 filters, bottleneck 32, kernel 40 (39/19/9), depth 6. */
    public static Backbone inception1d() {
        return inception1dBuilder().build();
    }

    /** A builder to vary Inception1d's filters, kernels or depth. */
    public static Inception1dBuilder inception1dBuilder() {
        return new Inception1dBuilder();
    }

    /** Builder of {@link #inception1d()}; {@code build()} names any bad value. */
    public static final class Inception1dBuilder {
        private int filters = 32;
        private int bottleneck = 32;
        private int kernel = 40;
        private int depth = 6;
        private double dropout = 0.5;
        private int headHidden = 128;

        private Inception1dBuilder() {
        }

        /** Filters of each of a block's four branches (reference: 32; a block outputs 4x this). */
        public Inception1dBuilder optFilters(int filters) {
            this.filters = filters;
            return this;
        }

        /** Channels of the 1x1 bottleneck, or 0 for none (reference: 32). */
        public Inception1dBuilder optBottleneck(int bottleneck) {
            this.bottleneck = bottleneck;
            return this;
        }

        /** Largest branch kernel; the branches use k, k/2, k/4 made odd (reference: 40, i.e. 39, 19, 9). */
        public Inception1dBuilder optKernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        /** Number of inception blocks, a multiple of 3 (a shortcut spans three; reference: 6). */
        public Inception1dBuilder optDepth(int depth) {
            this.depth = depth;
            return this;
        }

        /** Dropout before the final linear layer (reference: 0.5). */
        public Inception1dBuilder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Units of the head's hidden layer: 128 (default) is the PTB-XL benchmark's {@code lin_ftrs_head=[128]},
         * as its configurations train this network; 0 gives {@code create_head1d}'s default head without one.
         */
        public Inception1dBuilder optHeadHidden(int units) {
            this.headHidden = units;
            return this;
        }

        public Backbone build() {
            checkPositive("filters", filters);
            checkHeadHidden(headHidden);
            if (bottleneck < 0) {
                throw new IllegalArgumentException("bottleneck must be >= 0, was " + bottleneck);
            }
            if (kernel < 4) {
                throw new IllegalArgumentException("kernel must be >= 4 (branches use k/4), was " + kernel);
            }
            if (depth < 3 || depth % 3 != 0) {
                throw new IllegalArgumentException("depth must be a positive multiple of 3, was " + depth);
            }
            checkDropout(dropout);
            return new Inception1d(filters, bottleneck, kernel, depth, dropout, headHidden);
        }
    }

    // ---------------------------------------------------------------- XResNet1d101

    /** Which reference definition of XResNet1d101 to follow. */
    public enum XResNetVariant {
        /**
         * The MVKT-ECG paper's own code (QINYZz/MVKT-ECG {@code models/xresnet_1d.py}): stage widths
         * 64/128/256/512 ×4, average ‖ max pooling → linear, features 4096. The default.
         */
        MVKT_PAPER,
        /**
         * The PTB-XL benchmark's (helme/ecg_ptbxl_benchmarking {@code code/models/xresnet1d.py}): all stages 64 ×4,
         * kernels 5, max ‖ average pooling → BN → dropout → linear, features 512.
         */
        PTBXL_BENCHMARK
    }

    /** XResNet1d101 as in the MVKT-ECG paper's code: 4096 features (see {@link XResNetVariant#MVKT_PAPER}). */
    public static Backbone xresnet1d101() {
        return xresnet1d101Builder().build();
    }

    /** A builder to choose XResNet1d101's variant or vary its widths and depth. */
    public static XResNet1d101Builder xresnet1d101Builder() {
        return new XResNet1d101Builder();
    }

    /**
     * Builder of {@link #xresnet1d101()}; settings not given take the chosen variant's reference values;
     * {@code build()} names any bad value.
     */
    public static final class XResNet1d101Builder {
        private XResNetVariant variant = XResNetVariant.MVKT_PAPER;
        private int[] stemWidths;
        private int[] widths;
        private int[] layers = {3, 4, 23, 3};
        private Integer kernel;
        private Integer stemKernel;
        private double dropout = 0.5;
        private Integer headHidden;

        private XResNet1d101Builder() {
        }

        /** The reference definition (default {@link XResNetVariant#MVKT_PAPER}). */
        public XResNet1d101Builder optVariant(XResNetVariant variant) {
            this.variant = variant;
            return this;
        }

        /** Channels of the three stem convolutions (paper: 32, 64, 64; benchmark: 32, 32, 64). */
        public XResNet1d101Builder optStemWidths(int first, int second, int third) {
            this.stemWidths = new int[]{first, second, third};
            return this;
        }

        /** Hidden width of each stage; a stage outputs 4x this (paper: 64, 128, 256, 512; benchmark: 64 each). */
        public XResNet1d101Builder optWidths(int... widths) {
            this.widths = widths == null ? null : widths.clone();
            return this;
        }

        /** Bottleneck blocks per stage (reference: 3, 4, 23, 3). */
        public XResNet1d101Builder optLayers(int... layers) {
            this.layers = layers == null ? null : layers.clone();
            return this;
        }

        /** Kernel of each block's middle convolution (paper: 3; benchmark: 5). */
        public XResNet1d101Builder optKernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        /** Kernel of the stem convolutions (paper: 3; benchmark: 5). */
        public XResNet1d101Builder optStemKernel(int stemKernel) {
            this.stemKernel = stemKernel;
            return this;
        }

        /** Dropout of the benchmark variant's head (reference: 0.5; the paper's head has none). */
        public XResNet1d101Builder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Units of the benchmark variant's hidden head layer: 128 (default) is the PTB-XL benchmark's
         * {@code lin_ftrs_head=[128]}; 0 gives {@code create_head1d}'s default head. The paper's variant has a plain
         * linear head and refuses a hidden layer.
         */
        public XResNet1d101Builder optHeadHidden(int units) {
            this.headHidden = units;
            return this;
        }

        public Backbone build() {
            if (variant == null) {
                throw new IllegalArgumentException("variant is null");
            }
            boolean paper = variant == XResNetVariant.MVKT_PAPER;
            int[] stem = stemWidths != null ? stemWidths : paper ? new int[]{32, 64, 64} : new int[]{32, 32, 64};
            int[] w = widths != null ? widths : paper ? new int[]{64, 128, 256, 512} : new int[]{64, 64, 64, 64};
            int k = kernel != null ? kernel : paper ? 3 : 5;
            int ks = stemKernel != null ? stemKernel : paper ? 3 : 5;
            checkPositive("stem width", stem);
            checkPositive("width", w);
            if (layers == null || layers.length == 0) {
                throw new IllegalArgumentException("layers must name at least one stage");
            }
            checkPositive("blocks per stage", layers);
            if (w.length != layers.length) {
                throw new IllegalArgumentException("widths " + java.util.Arrays.toString(w) + " and layers "
                        + java.util.Arrays.toString(layers) + " must name the same number of stages");
            }
            checkOddKernel("kernel", k);
            checkOddKernel("stem kernel", ks);
            checkDropout(dropout);
            int hidden = headHidden != null ? headHidden : paper ? 0 : 128;
            checkHeadHidden(hidden);
            if (paper && hidden != 0) {
                throw new IllegalArgumentException("headHidden " + hidden + ": the MVKT_PAPER variant's head is one "
                        + "linear layer; a hidden layer needs the PTBXL_BENCHMARK variant");
            }
            return new XResNet1d101(variant, stem, w, layers, k, ks, dropout, hidden);
        }
    }

    /** ResNet1d_wang with the reference settings (width 128, kernels 5/3, stem kernel 7, dropout 0.5). */
    public static Backbone resnet1dWang() {
        return resnet1dWangBuilder().build();
    }

    /** A builder to vary ResNet1d_wang's width or kernels (tiny widths keep unit tests fast). */
    public static ResNet1dWangBuilder resnet1dWangBuilder() {
        return new ResNet1dWangBuilder();
    }

    /** Builder of {@link #resnet1dWang()}; {@code build()} names any bad value. */
    public static final class ResNet1dWangBuilder {
        private int width = 128;
        private int kernel1 = 5;
        private int kernel2 = 3;
        private int stemKernel = 7;
        private double dropout = 0.5;
        private int headHidden = 128;

        private ResNet1dWangBuilder() {
        }

        /** Channels of every block (reference: 128). */
        public ResNet1dWangBuilder optWidth(int width) {
            this.width = width;
            return this;
        }

        /** Kernel sizes of the two convolutions of a block (reference: 5 and 3). */
        public ResNet1dWangBuilder optKernels(int first, int second) {
            this.kernel1 = first;
            this.kernel2 = second;
            return this;
        }

        /** Kernel size of the stem convolution (reference: 7). */
        public ResNet1dWangBuilder optStemKernel(int stemKernel) {
            this.stemKernel = stemKernel;
            return this;
        }

        /** Dropout probability before the final linear layer (reference: 0.5). */
        public ResNet1dWangBuilder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Units of the head's hidden layer: 128 (default) is the PTB-XL benchmark's {@code lin_ftrs_head=[128]},
         * as its configurations train this network; 0 gives {@code create_head1d}'s default head without one.
         */
        public ResNet1dWangBuilder optHeadHidden(int units) {
            this.headHidden = units;
            return this;
        }

        public Backbone build() {
            checkHeadHidden(headHidden);
            if (width < 1) {
                throw new IllegalArgumentException("width must be >= 1, was " + width);
            }
            for (int k : new int[]{kernel1, kernel2, stemKernel}) {
                if (k < 1 || k % 2 == 0) {
                    throw new IllegalArgumentException("kernel sizes must be odd and >= 1, was " + k);
                }
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
            }
            return new ResNet1dWang(width, kernel1, kernel2, stemKernel, dropout, headHidden);
        }
    }
}
