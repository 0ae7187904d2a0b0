package dev.mvkt.backbones;

/** The five backbones at tiny widths, for tests that compare two paths on every architecture in seconds. */
final class TinyZoo {
    private TinyZoo() {
    }

    /** ResNet1d_wang, CNN Hannun, ResNet1d34, Inception1d, XResNet1d101, in that order (index 0 is ResNet1d_wang). */
    static Backbone[] all() {
        return new Backbone[]{
                Backbones.resnet1dWangBuilder().optWidth(6).build(),
                Backbones.cnnHannunBuilder().optFilters(4).optBlocks(3).build(),
                Backbones.resnet1d34Builder().optWidth(4).optLayers(1, 1, 1, 1).build(),
                Backbones.inception1dBuilder().optFilters(2).optBottleneck(2).optDepth(3).build(),
                Backbones.xresnet1d101Builder().optStemWidths(2, 2, 4).optWidths(1, 2).optLayers(1, 1).build()};
    }
}
