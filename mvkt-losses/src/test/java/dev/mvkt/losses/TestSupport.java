package dev.mvkt.losses;

import dev.mvkt.api.LossContext;
import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;

import java.util.Random;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Random inputs and the finite-difference gradient check shared by the loss tests. */
final class TestSupport {
    static final double FD_EPS = 1e-6;
    static final double FD_REL_TOL = 1e-5;
    /**
     * Absolute floor for components whose true gradient is ~0: central differences of a loss of size L carry rounding
     * noise of about 1e-16·L/eps ≈ 1e-9, which no relative test can absorb near zero.
     */
    static final double FD_ABS_FLOOR = 1e-8;

    private TestSupport() {
    }

    static double[][] gaussian(Random r, int rows, int cols, double scale) {
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                a[i][k] = scale * r.nextGaussian();
            }
        }
        return a;
    }

    static double[][] uniform(Random r, int rows, int cols, double lo, double hi) {
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                a[i][k] = lo + (hi - lo) * r.nextDouble();
            }
        }
        return a;
    }

    static double[][] multiHot(Random r, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                a[i][k] = r.nextBoolean() ? 1 : 0;
            }
        }
        return a;
    }

    static float[][] multiHotFloat(Random r, int rows, int cols) {
        float[][] a = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                a[i][k] = r.nextInt(3) == 0 ? 1f : 0f;
            }
        }
        return a;
    }

    static int[] indices(Random r, int batch, int trainSize) {
        int[] idx = new int[batch];
        for (int i = 0; i < batch; i++) {
            idx[i] = r.nextInt(trainSize);
        }
        return idx;
    }

    /** Distinct bank rows, so that a batch never updates the same row twice. */
    static int[] distinctIndices(Random r, int batch, int trainSize) {
        int[] all = new int[trainSize];
        for (int j = 0; j < trainSize; j++) {
            all[j] = j;
        }
        for (int j = trainSize - 1; j > 0; j--) {
            int x = r.nextInt(j + 1);
            int t = all[j];
            all[j] = all[x];
            all[x] = t;
        }
        int[] idx = new int[batch];
        System.arraycopy(all, 0, idx, 0, batch);
        return idx;
    }

    /** Inputs for CLT: logits and labels are placeholders that LossInputs requires. */
    static LossInputs embeddings(double[][] s, double[][] t, int[] idx) {
        return new LossInputs(new double[s.length][1], new double[s.length][1], null, s, t, idx);
    }

    static LossContext context(Random r, int trainSize, int classes, long seed) {
        return new LossContext(trainSize, multiHotFloat(r, trainSize, classes), seed);
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    static void assertAllFinite(String what, double[][] a) {
        if (a == null) {
            return;
        }
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < a[i].length; k++) {
                if (!Double.isFinite(a[i][k])) {
                    fail(what + "[" + i + "][" + k + "] is not finite: " + a[i][k]);
                }
            }
        }
    }

    static void assertClose(double[][] expected, double[][] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " rows");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + " columns");
            for (int k = 0; k < expected[i].length; k++) {
                double e = expected[i][k];
                double a = actual[i][k];
                assertTrue(Math.abs(e - a) <= tol * Math.max(1.0, Math.max(Math.abs(e), Math.abs(a))),
                        what + "[" + i + "][" + k + "]: expected " + e + ", was " + a);
            }
        }
    }

    /**
     * Compares {@code analytic} with central differences of {@code loss} at {@code x}, perturbing {@code x} in place
     * (and restoring it), so {@code loss} must read {@code x} itself.
     */
    static void checkGradient(String what, double[][] x, double[][] analytic, ToDoubleFunction<double[][]> loss) {
        assertEquals(x.length, analytic.length, what + ": gradient rows");
        int nonTrivial = 0;
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < x[i].length; k++) {
                double orig = x[i][k];
                x[i][k] = orig + FD_EPS;
                double plus = loss.applyAsDouble(x);
                x[i][k] = orig - FD_EPS;
                double minus = loss.applyAsDouble(x);
                x[i][k] = orig;
                double numeric = (plus - minus) / (2 * FD_EPS);
                double a = analytic[i][k];
                double diff = Math.abs(a - numeric);
                double rel = diff / Math.max(Math.abs(a), Math.abs(numeric));
                if (!(diff <= FD_ABS_FLOOR || rel <= FD_REL_TOL)) {
                    fail(what + "[" + i + "][" + k + "]: analytic " + a + ", numeric " + numeric
                            + ", relative error " + rel);
                }
                if (Math.abs(a) > 1e-4) {
                    nonTrivial++;
                }
            }
        }
        assertTrue(nonTrivial > 0, what + ": every gradient component was ~0, so the check proved nothing");
    }

    /** Inputs for the embedding terms (FitNets, RKD, PKT): logits and labels are placeholders. */
    static LossInputs embeddings(double[][] s, double[][] t) {
        return new LossInputs(new double[s.length][1], new double[s.length][1], null, s, t, null);
    }

    /**
     * A random orthogonal map of R^d, as the product of three Householder reflections (I − 2vvᵀ), applied to each
     * row of a matrix; cheap enough to draw for every example of a property.
     */
    static java.util.function.UnaryOperator<double[][]> orthogonal(Random r, int d) {
        double[][] vs = new double[3][];
        for (int m = 0; m < 3; m++) {
            double[] v = new double[d];
            double n = 0;
            for (int k = 0; k < d; k++) {
                v[k] = r.nextGaussian();
                n += v[k] * v[k];
            }
            n = Math.sqrt(n);
            for (int k = 0; k < d; k++) {
                v[k] /= n;
            }
            vs[m] = v;
        }
        return x -> {
            double[][] y = copy(x);
            for (double[] row : y) {
                for (double[] v : vs) {
                    double dot = 0;
                    for (int k = 0; k < d; k++) {
                        dot += v[k] * row[k];
                    }
                    for (int k = 0; k < d; k++) {
                        row[k] -= 2 * dot * v[k];
                    }
                }
            }
            return y;
        };
    }

    /** Rows of {@code x} in the order {@code perm}: row i of the result is row perm[i] of x. */
    static double[][] permuteRows(double[][] x, int[] perm) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[perm[i]].clone();
        }
        return y;
    }

    /** The largest absolute entry of a matrix. */
    static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] row : a) {
            for (double x : row) {
                m = Math.max(m, Math.abs(x));
            }
        }
        return m;
    }

    /** Whether two matrices agree entry by entry within {@code rel}·max(scale, |entries|). */
    static boolean close(double[][] a, double[][] b, double rel, double scale) {
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < a[i].length; k++) {
                if (Math.abs(a[i][k] - b[i][k]) > rel * Math.max(scale, Math.max(Math.abs(a[i][k]),
                        Math.abs(b[i][k])))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Student and teacher logits, with zero targets (for terms that read only logits). */
    static LossInputs logits(double[][] student, double[][] teacher) {
        return new LossInputs(student, new double[student.length][student[0].length], teacher, null, null, null);
    }

    /**
     * Whether {@code term} on seeded random logits {@code [b][c]} gives the same value, and the same gradient moved
     * along, when rows and classes of student and teacher are permuted together.
     */
    static boolean permutesWithRowsAndClasses(LossTerm term, long seed, int b, int c) {
        Random r = new Random(seed);
        double[][] zs = gaussian(r, b, c, 4);
        double[][] zt = gaussian(r, b, c, 4);
        int[] rows = distinctIndices(r, b, b);
        int[] cols = distinctIndices(r, c, c);
        double[][] sp = new double[b][c];
        double[][] tp = new double[b][c];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < c; k++) {
                sp[i][k] = zs[rows[i]][cols[k]];
                tp[i][k] = zt[rows[i]][cols[k]];
            }
        }
        LossValue a = term.compute(logits(zs, zt));
        LossValue p = term.compute(logits(sp, tp));
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < c; k++) {
                if (a.dStudentLogits()[rows[i]][cols[k]] != p.dStudentLogits()[i][k]) {
                    return false;
                }
            }
        }
        return Math.abs(a.value() - p.value()) <= 1e-12 * Math.max(1, a.value());
    }
}
