package dev.mvkt.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SimCLR's projection head {@code z = W2·relu(W1·f + b1) + b2}, two {@link ProjectionHead}s with a ReLU between,
 * each trained by its own Adam. Pretraining's contrastive loss acts on z; the head is dropped afterwards (SimCLR
 * found the features before it transfer better), so only the backbone is kept.
 */
final class ProjectionMlp {
    private final ProjectionHead first;
    private final ProjectionHead second;

    ProjectionMlp(int in, int hidden, int out, double lr, double l2, boolean decayBias, long seed) {
        this.first = new ProjectionHead(in, hidden, lr, l2, decayBias, seed * 31 + 11);
        this.second = new ProjectionHead(hidden, out, lr, l2, decayBias, seed * 31 + 12);
    }

    /** The hidden activations (after ReLU) and the output of {@code features [N, in]}. */
    record Pass(double[][] hidden, double[][] out) {
    }

    Pass forward(INDArray features) {
        double[][] h = first.forward(features);
        for (double[] row : h) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.max(0, row[j]);
            }
        }
        return new Pass(h, second.forward(Nd4j.create(h)));
    }

    /** Returns dL/dfeatures for {@code dOut = dL/dz} of the pass {@code p}, then steps both layers' Adam once. */
    INDArray backwardAndStep(INDArray features, Pass p, double[][] dOut) {
        double[][] dh = second.backwardAndStep(Nd4j.create(p.hidden()), dOut).castTo(
                org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < dh.length; i++) {
            for (int j = 0; j < dh[i].length; j++) {
                if (p.hidden()[i][j] <= 0) {
                    dh[i][j] = 0;
                }
            }
        }
        return first.backwardAndStep(features, dh);
    }
}
