package dev.mvkt.losses;

import dev.mvkt.api.LossInputs;

/**
 * Scalar helpers shared by the terms. Logits reach ±100 in practice (a saturated teacher), where the naive
 * {@code log(sigmoid(z))} or {@code log(1 + exp(z))} give −Inf or Inf; these forms never overflow.
 */
final class Numerics {
    private Numerics() {
    }

    /** σ(x), evaluated so that {@code exp} only sees non-positive arguments. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** log(1 + exp(x)) without overflow for large x and without loss of precision for very negative x. */
    static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** log σ(x) = −softplus(−x). */
    static double logSigmoid(double x) {
        return -softplus(-x);
    }

    /** log(exp(a) + exp(b)). */
    static double logAddExp(double a, double b) {
        double m = Math.max(a, b);
        return m + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /** Euclidean norm, scaled first so that rows of 1e200 or 1e-200 neither overflow nor underflow. */
    static double norm(double[] v) {
        double scale = 0;
        for (double x : v) {
            scale = Math.max(scale, Math.abs(x));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double s = 0;
        for (double x : v) {
            double y = x / scale;
            s += y * y;
        }
        return scale * Math.sqrt(s);
    }

    /**
     * Below this length a vector has no direction: the comparison terms (FitNets, RKD, PKT) take its unit vector as 0
     * and pass no gradient through it, rather than dividing by a clamped norm.
     */
    static final double DIRECTION_EPS = 1e-12;

    /** v/‖v‖, or the zero vector when ‖v‖ ≤ {@link #DIRECTION_EPS}; {@code norm} is ‖v‖. */
    static double[] unit(double[] v, double norm) {
        double[] u = new double[v.length];
        if (norm > DIRECTION_EPS) {
            for (int k = 0; k < v.length; k++) {
                u[k] = v[k] / norm;
            }
        }
        return u;
    }

    /**
     * Adds {@code scale}·∂L/∂v to {@code out}, given g = ∂L/∂v̂ for v̂ = {@link #unit unit(v)}: scale·(g − v̂(v̂·g))/‖v‖,
     * nothing when v has no direction.
     */
    static void addThroughUnit(double[] g, double[] hat, double norm, double scale, double[] out) {
        if (norm <= DIRECTION_EPS) {
            return;
        }
        double hg = dot(hat, g);
        double f = scale / norm;
        for (int k = 0; k < g.length; k++) {
            out[k] += f * (g[k] - hat[k] * hg);
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** Smooth L1 (Huber with δ = 1), PyTorch's {@code smooth_l1_loss} per element: x²/2 for |x| < 1, |x| − 1/2 beyond. */
    static double huber(double x) {
        double a = Math.abs(x);
        return a < 1 ? 0.5 * x * x : a - 0.5;
    }

    /** The derivative of {@link #huber}: x clamped to [−1, 1]. */
    static double huberGrad(double x) {
        return Math.max(-1.0, Math.min(1.0, x));
    }

    /**
     * Checks an embedding input of {@code term}: present, {@code [rows][cols]} and finite, naming the field and the
     * offending element.
     */
    static void requireEmbedding(String term, String field, double[][] e, int rows, int cols) {
        if (e == null) {
            throw new IllegalArgumentException(term + " needs " + field + ", but it was null");
        }
        requireShape(field, e, rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                if (!Double.isFinite(e[i][k])) {
                    throw new IllegalArgumentException(field + "[" + i + "][" + k + "] is not finite: " + e[i][k]);
                }
            }
        }
    }

    static void requireFinitePositive(String what, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException(what + " must be finite and positive, was " + value);
        }
    }

    /** Checks a {@code [batch][cols]} input is rectangular with the expected shape, naming the field on failure. */
    static void requireShape(String field, double[][] a, int rows, int cols) {
        if (a == null) {
            throw new IllegalArgumentException(field + " is required but was null");
        }
        if (a.length != rows) {
            throw new IllegalArgumentException(field + " has " + a.length + " rows, expected " + rows);
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null || a[i].length != cols) {
                throw new IllegalArgumentException(field + " row " + i + " has "
                        + (a[i] == null ? "no" : String.valueOf(a[i].length)) + " columns, expected " + cols);
            }
        }
    }

    /**
     * Checks the logit inputs of a distillation term {@code term}: teacher logits present, both {@code [batch][classes]}
     * and at least one row, naming the field on failure.
     */
    static void requireLogitPair(String term, LossInputs in) {
        if (in.teacherLogits() == null) {
            throw new IllegalArgumentException(term + " needs teacherLogits, but they were null");
        }
        requireShape("studentLogits", in.studentLogits(), in.batchSize(), in.classes());
        requireShape("teacherLogits", in.teacherLogits(), in.batchSize(), in.classes());
        if (in.batchSize() == 0) {
            throw new IllegalArgumentException(term + " needs at least one row in studentLogits");
        }
    }
}
