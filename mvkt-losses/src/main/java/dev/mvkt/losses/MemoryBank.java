package dev.mvkt.losses;

import java.util.SplittableRandom;

/**
 * One embedding per training sample, [N × D], kept between steps so that CLT can contrast against many more samples
 * than a batch holds. Rows are updated by momentum after each step and are constants for the gradient.
 *
 * <p>Rows are stored flat in floats, as CRD keeps them: each anchor reads K + 1 scattered rows, so for a training
 * split of thousands of records the cost is memory traffic, which floats halve. Arithmetic on them is in double, and
 * since rows are constants of the loss their precision does not affect gradient checks. Initialised uniform(−s, s)
 * with s = 1/√(D/3), as CRD does, so that a row's expected squared norm is 1 before its sample is first visited.
 */
final class MemoryBank {
    private final int rows;
    private final int dim;
    private final float[] data;

    MemoryBank(int rows, int dim, long seed) {
        if (rows <= 0 || dim <= 0) {
            throw new IllegalArgumentException("memory bank needs positive rows and dim, got " + rows + "×" + dim);
        }
        this.rows = rows;
        this.dim = dim;
        this.data = new float[Math.multiplyExact(rows, dim)];
        double s = 1.0 / Math.sqrt(dim / 3.0);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = 0; k < data.length; k++) {
            data[k] = (float) rnd.nextDouble(-s, s);
        }
    }

    int rows() {
        return rows;
    }

    int dim() {
        return dim;
    }

    /** v · row(r), with four accumulators to break the add dependency chain of this, CLT's innermost loop. */
    double dot(int r, double[] v) {
        int off = r * dim;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < dim; k += 4) {
            s0 += v[k] * data[off + k];
            s1 += v[k + 1] * data[off + k + 1];
            s2 += v[k + 2] * data[off + k + 2];
            s3 += v[k + 3] * data[off + k + 3];
        }
        for (; k < dim; k++) {
            s0 += v[k] * data[off + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** acc += scale · row(r). */
    void addScaledRowTo(int r, double scale, double[] acc) {
        int off = r * dim;
        for (int k = 0; k < dim; k++) {
            acc[k] += scale * data[off + k];
        }
    }

    /** A copy of row r. */
    double[] row(int r) {
        double[] out = new double[dim];
        int off = r * dim;
        for (int k = 0; k < dim; k++) {
            out[k] = data[off + k];
        }
        return out;
    }

    /** Stores v (rounded to float) as row r. */
    void setRow(int r, double[] v) {
        if (v.length != dim) {
            throw new IllegalArgumentException("memory bank row has " + v.length + " entries, expected " + dim);
        }
        int off = r * dim;
        for (int k = 0; k < dim; k++) {
            data[off + k] = (float) v[k];
        }
    }

    /**
     * normalize(m · row(r) + (1 − m) · v): what row r becomes after a step with unit embedding v. Returned rather
     * than stored so that a batch can compute all its updates from the pre-step bank, as CRD's index_copy_ does.
     */
    double[] momentumUpdate(int r, double[] v, double momentum) {
        double[] out = new double[dim];
        int off = r * dim;
        for (int k = 0; k < dim; k++) {
            out[k] = momentum * data[off + k] + (1 - momentum) * v[k];
        }
        double n = Numerics.norm(out);
        if (n > 0) {
            for (int k = 0; k < dim; k++) {
                out[k] /= n;
            }
        }
        return out;
    }

    void write(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(rows);
        out.writeInt(dim);
        for (float v : data) {
            out.writeFloat(v);
        }
    }

    void read(java.io.DataInputStream in) throws java.io.IOException {
        int r = in.readInt();
        int d = in.readInt();
        if (r != rows || d != dim) {
            throw new java.io.IOException("memory bank state is " + r + " x " + d + ", expected " + rows + " x " + dim);
        }
        for (int i = 0; i < data.length; i++) {
            data[i] = in.readFloat();
        }
    }
}
