package dev.mvkt.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Random;

/**
 * CLT's trainable linear embedding {@code e = f·W + b} (L2 normalisation is part of the loss), trained by Adam with
 * PyTorch's L2 weight decay. Kept outside the DL4J graph because the teacher's head trains while its backbone is
 * frozen, and both heads see errors that only the loss term computes.
 */
final class ProjectionHead {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final INDArray w;
    private final INDArray b;
    private final INDArray mW;
    private final INDArray vW;
    private final INDArray mB;
    private final INDArray vB;
    private double lr;
    private final double l2;
    private final double l2Bias;
    private int t;

    /** @param decayBias whether the weight decay also applies to the bias (PyTorch's Adam decays every parameter) */
    ProjectionHead(int in, int out, double lr, double l2, boolean decayBias, long seed) {
        // PyTorch's nn.Linear default: weights and bias U(±1/sqrt(in)).
        double bound = 1 / Math.sqrt(in);
        Random r = new Random(seed);
        float[] wv = new float[in * out];
        for (int i = 0; i < wv.length; i++) {
            wv[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        }
        float[] bv = new float[out];
        for (int i = 0; i < bv.length; i++) {
            bv[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        }
        this.w = Nd4j.create(wv, new long[]{in, out}, 'c');
        this.b = Nd4j.create(bv, new long[]{1, out}, 'c');
        this.mW = Nd4j.zeros(DataType.FLOAT, in, out);
        this.vW = Nd4j.zeros(DataType.FLOAT, in, out);
        this.mB = Nd4j.zeros(DataType.FLOAT, 1, out);
        this.vB = Nd4j.zeros(DataType.FLOAT, 1, out);
        this.lr = lr;
        this.l2 = l2;
        this.l2Bias = decayBias ? l2 : 0;
    }

    /** The Adam step size from now on (a learning-rate schedule changes it per epoch). */
    void setLearningRate(double lr) {
        this.lr = lr;
    }

    /** Raw embeddings of {@code features [N, in]} as {@code [N][out]}. */
    double[][] forward(INDArray features) {
        return features.castTo(DataType.FLOAT).mmul(w).addiRowVector(b).castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /**
     * Returns dL/dfeatures for {@code dOut = dL/dembedding} and then applies one Adam step to the head.
     */
    INDArray backwardAndStep(INDArray features, double[][] dOut) {
        INDArray f = features.castTo(DataType.FLOAT);
        INDArray d = Nd4j.create(dOut).castTo(DataType.FLOAT);
        INDArray dFeatures = d.mmul(w.transpose());
        INDArray gW = f.transpose().mmul(d).addi(w.mul(l2));
        INDArray gB = d.sum(true, 0).addi(b.mul(l2Bias));
        t++;
        adam(w, gW, mW, vW);
        adam(b, gB, mB, vB);
        return dFeatures;
    }

    private void adam(INDArray p, INDArray g, INDArray m, INDArray v) {
        m.muli(BETA1).addi(g.mul(1 - BETA1));
        v.muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        INDArray step = m.div(c1).divi(Transforms.sqrt(v.div(c2), false).addi(EPS)).muli(lr);
        p.subi(step);
    }

    /** Parameters and Adam state, for checkpoints. */
    void write(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(t);
        for (INDArray a : new INDArray[]{w, b, mW, vW, mB, vB}) {
            Checkpoints.writeArray(out, a);
        }
    }

    void read(java.io.DataInputStream in) throws java.io.IOException {
        t = in.readInt();
        for (INDArray a : new INDArray[]{w, b, mW, vW, mB, vB}) {
            INDArray r = Checkpoints.readArray(in);
            if (!java.util.Arrays.equals(r.shape(), a.shape())) {
                throw new java.io.IOException("projection head state has shape " + java.util.Arrays.toString(r.shape())
                        + ", expected " + java.util.Arrays.toString(a.shape()));
            }
            a.assign(r);
        }
    }
}
