package dev.mvkt.samples;

import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.backbones.NetworkSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Times ResNet1d_wang on this machine: a training step (batch 32, 12 × 1000), batch inference and one-ECG
 * inference, as medians over repeated runs after warm-up. Options: {@code --width N} (default 128),
 * {@code --reps N} (default 5).
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) {
        Map<String, String> o = Demo.parse(args);
        int width = Integer.parseInt(o.getOrDefault("width", "128"));
        int reps = Integer.parseInt(o.getOrDefault("reps", "5"));
        EcgNetwork net = Backbones.resnet1dWangBuilder().optWidth(width).build().build(NetworkSpec.of(12, 5, 0));
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 12, 1000, 1);
        INDArray one = Nd4j.rand(DataType.FLOAT, 1, 12, 1000, 1);
        double train = median(reps, () -> net.trainStep(x,
                out -> new EcgNetwork.Outputs(out.logits().mul(0.01), null)));
        double batch = median(reps, () -> net.logits(x));
        double single = median(reps * 4, () -> net.logits(one));
        long convs = 0;
        long withHelper = 0;
        for (var l : net.graph().getLayers()) {
            if (l instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer c) {
                convs++;
                withHelper += c.getHelper() != null ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "engine: %s; oneDNN helper on %d of %d convolution layers%n",
                Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"), withHelper, convs);
        System.out.printf(Locale.ROOT, "resnet1d_wang width %d, %d params: train step %.0f ms, inference batch 32 "
                + "%.0f ms, one ECG %.1f ms (medians of %d)%n", width, net.numParams(), train, batch, single, reps);
    }

    private static double median(int reps, Runnable r) {
        r.run();
        r.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }
}
