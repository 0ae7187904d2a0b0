package dev.mvkt.losses;

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
}
