package dev.mvkt.core;

/**
 * Fits one class's temperature: minimises {@code Σ BCE(y, sigmoid(β·z))} over {@code β = 1/T}, convex in β, by
 * Newton steps kept inside a shrinking bracket of the derivative's sign change (bisection when a step would leave
 * it). See {@link Calibration} for the range and the rules.
 */
final class TemperatureScaling {
    private static final int MAX_ITERATIONS = 200;
    private static final double TOLERANCE = 1e-12;

    private TemperatureScaling() {
    }

    /** The temperature minimising the cross-entropy of {@code sigmoid(z / T)} against {@code y}, or 1 (see class). */
    static double fit(double[] z, boolean[] y) {
        boolean pos = false;
        boolean neg = false;
        for (boolean b : y) {
            pos |= b;
            neg |= !b;
        }
        if (!pos || !neg) {
            return 1;
        }
        double lo = 1 / Calibration.MAX_TEMPERATURE;
        double hi = 1 / Calibration.MIN_TEMPERATURE;
        double beta;
        if (derivative(z, y, lo) >= 0) {
            beta = lo;
        } else if (derivative(z, y, hi) <= 0) {
            beta = hi;
        } else {
            beta = 1;
            for (int it = 0; it < MAX_ITERATIONS && hi - lo > TOLERANCE; it++) {
                double d = derivative(z, y, beta);
                if (d == 0) {
                    break;
                }
                if (d > 0) {
                    hi = beta;
                } else {
                    lo = beta;
                }
                double h = curvature(z, beta);
                double next = h > 0 ? beta - d / h : Double.NaN;
                // A Newton step that leaves the bracket (or a flat curvature) falls back to its midpoint.
                if (!(next > lo && next < hi)) {
                    next = (lo + hi) / 2;
                }
                boolean converged = Math.abs(next - beta) < TOLERANCE * Math.max(1, beta);
                beta = next;
                if (converged) {
                    break;
                }
            }
        }
        double t = 1 / beta;
        // Convexity makes the fit at least as good as T = 1; rounding must not make it worse either.
        return nll(z, y, t) <= nll(z, y, 1) ? t : 1;
    }

    /** Mean binary cross-entropy of {@code sigmoid(z / t)} against {@code y}, computed stably from the logits. */
    static double nll(double[] z, boolean[] y, double t) {
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            double a = z[i] / t;
            // -log sigmoid(a) = softplus(-a); -log(1 - sigmoid(a)) = softplus(a)
            s += softplus(y[i] ? -a : a);
        }
        return s / z.length;
    }

    /** {@code d/dβ Σ BCE(y, sigmoid(β z)) = Σ (sigmoid(β z) − y) z}. */
    private static double derivative(double[] z, boolean[] y, double beta) {
        double d = 0;
        for (int i = 0; i < z.length; i++) {
            d += (sigmoid(beta * z[i]) - (y[i] ? 1 : 0)) * z[i];
        }
        return d;
    }

    /** {@code d²/dβ² = Σ sigmoid(β z)(1 − sigmoid(β z)) z² ≥ 0}. */
    private static double curvature(double[] z, double beta) {
        double h = 0;
        for (double zi : z) {
            double p = sigmoid(beta * zi);
            h += p * (1 - p) * zi * zi;
        }
        return h;
    }

    static double sigmoid(double a) {
        return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
    }

    private static double softplus(double a) {
        return a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
    }
}
