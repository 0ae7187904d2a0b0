package dev.mvkt.backbones;

/** The backbone zoo: one builder per architecture of the paper. */
public final class Backbones {
    static {
        // Before any backbone touches ND4J, so that its oneDNN build can be chosen.
        Engine.configure();
    }

    private Backbones() {
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

        public Backbone build() {
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
            return new ResNet1dWang(width, kernel1, kernel2, stemKernel, dropout);
        }
    }
}
