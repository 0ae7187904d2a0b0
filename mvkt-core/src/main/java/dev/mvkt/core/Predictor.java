package dev.mvkt.core;

import dev.mvkt.backbones.EcgNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Inference over a whole split in batches. */
final class Predictor {
    private static final int BATCH = 128;

    private Predictor() {
    }

    /** Uncalibrated sigmoid outputs {@code [N][C]} of every record of the batches' split (for model selection). */
    static double[][] probabilities(EcgNetwork net, Batches batches, int n) {
        double[][] out = new double[n][];
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            INDArray logits = net.logits(batches.input(Batches.range(from, to)));
            double[][] p = Transforms.sigmoid(logits.castTo(DataType.DOUBLE), false).toDoubleMatrix();
            System.arraycopy(p, 0, out, from, to - from);
        }
        return out;
    }

    /** Raw logits {@code [N][C]} of every record of the batches' split, before calibration and sigmoid. */
    static double[][] logits(EcgNetwork net, Batches batches, int n) {
        double[][] out = new double[n][];
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            double[][] z = net.logits(batches.input(Batches.range(from, to))).castTo(DataType.DOUBLE)
                    .toDoubleMatrix();
            System.arraycopy(z, 0, out, from, to - from);
        }
        return out;
    }

    /** Pooled features {@code [N][featureDim]} of every record of the batches' split. */
    static float[][] features(EcgNetwork net, Batches batches, int n) {
        float[][] out = new float[n][];
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            float[][] f = net.output(batches.input(Batches.range(from, to))).features().castTo(DataType.FLOAT)
                    .toFloatMatrix();
            System.arraycopy(f, 0, out, from, to - from);
        }
        return out;
    }
}
