package dev.mvkt.losses;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static dev.mvkt.losses.TestSupport.assertAllFinite;
import static dev.mvkt.losses.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class NtXentLossTest {
    private static final NtXentLoss DEFAULT = Losses.ntXent();

    /** SimCLR's loss written out the long way: explicit normalisation, exp and log, no log-sum-exp trick. */
    private static double naive(double[][] a, double[][] b, double tau) {
        int n = a.length;
        double[][] z = new double[2 * n][];
        for (int i = 0; i < n; i++) {
            z[i] = naiveUnit(a[i]);
            z[n + i] = naiveUnit(b[i]);
        }
        double sum = 0;
        for (int k = 0; k < 2 * n; k++) {
            int pos = (k + n) % (2 * n);
            double denominator = 0;
            for (int j = 0; j < 2 * n; j++) {
                if (j != k) {
                    denominator += Math.exp(cos(z[k], z[j]) / tau);
                }
            }
            sum += -Math.log(Math.exp(cos(z[k], z[pos]) / tau) / denominator);
        }
        return sum / (2 * n);
    }

    private static double[] naiveUnit(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double norm = Math.max(Math.sqrt(s), 1e-12);
        double[] u = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            u[k] = v[k] / norm;
        }
        return u;
    }

    private static double cos(double[] u, double[] v) {
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            s += u[k] * v[k];
        }
        return s;
    }

    @Test
    void gradientsMatchCentralFiniteDifferences() {
        double[] taus = {0.5, 1.0, 0.1};
        for (int trial = 0; trial < 12; trial++) {
            Random r = new Random(100 + trial);
            int n = 2 + trial % 4;
            int d = 2 + (trial * 7) % 5; // D = 1: unit rows are ±1 and every gradient is exactly 0
            NtXentLoss loss = NtXentLoss.of(taus[trial % 3]);
            double[][] a = TestSupport.gaussian(r, n, d, 0.5 + 2 * r.nextDouble());
            double[][] b = TestSupport.gaussian(r, n, d, 0.5 + 2 * r.nextDouble());
            NtXentLoss.Value v = loss.compute(a, b);
            assertAllFinite("dA", v.dA());
            assertAllFinite("dB", v.dB());
            String what = "trial " + trial + " (N=" + n + ", D=" + d + ", τ=" + loss.temperature() + ")";
            TestSupport.checkGradient("dA " + what, a, v.dA(), x -> loss.compute(x, b).value());
            TestSupport.checkGradient("dB " + what, b, v.dB(), x -> loss.compute(a, x).value());
        }
    }

    @Test
    void equalsANaiveDirectImplementation() {
        qt().withExamples(100).forAll(longs().all(), integers().between(2, 8), integers().between(1, 10),
                doubles().between(0.05, 2)).check((seed, n, d, tau) -> {
                    Random r = new Random(seed);
                    double[][] a = TestSupport.gaussian(r, n, d, 3);
                    double[][] b = TestSupport.gaussian(r, n, d, 3);
                    double expected = naive(a, b, tau);
                    double actual = NtXentLoss.of(tau).compute(a, b).value();
                    return Math.abs(expected - actual) <= 1e-10 * Math.max(1, expected);
                });
    }

    @Test
    void knownValueForTwoRecords() {
        // â1 = (1, 0), â2 = (0, 1), b̂1 = (0.6, 0.8), b̂2 = (−1, 0); cosines: â1·â2 = 0, â1·b̂1 = 0.6, â1·b̂2 = −1,
        // â2·b̂1 = 0.8, â2·b̂2 = 0, b̂1·b̂2 = −0.6; τ = 0.5 doubles each.
        double[][] a = {{1, 0}, {0, 3}};
        double[][] b = {{3, 4}, {-2, 0}};
        double l1 = -1.2 + Math.log(Math.exp(0) + Math.exp(1.2) + Math.exp(-2));
        double l2 = -0.0 + Math.log(Math.exp(0) + Math.exp(1.6) + Math.exp(0));
        double l3 = -1.2 + Math.log(Math.exp(1.2) + Math.exp(1.6) + Math.exp(-1.2));
        double l4 = -0.0 + Math.log(Math.exp(-2) + Math.exp(0) + Math.exp(-1.2));
        double expected = (l1 + l2 + l3 + l4) / 4;
        assertEquals(0.8860777536572332, expected, 1e-15, "the hand computation itself");
        assertEquals(expected, NtXentLoss.of(0.5).compute(a, b).value(), 1e-14);
    }

    @Test
    void orthonormalRecordsAlignedViewsGiveTheClosedForm() {
        // â_i = b̂_i = e_i: the positive scores 1/τ, all 2N − 2 negatives 0.
        for (int n = 2; n <= 5; n++) {
            double[][] e = new double[n][n + 1];
            for (int i = 0; i < n; i++) {
                e[i][i] = 1 + i;
            }
            for (double tau : new double[] {0.05, 0.1, 1}) {
                double expected = Math.log1p((2 * n - 2) * Math.exp(-1 / tau));
                assertEquals(expected, NtXentLoss.of(tau).compute(e, TestSupport.copy(e)).value(),
                        1e-13 + 1e-12 * expected, "N=" + n + ", τ=" + tau);
            }
        }
    }

    @Test
    void liesBetweenItsBounds() {
        // Every score lies in [−1/τ, 1/τ], so ℓ_k = log(1 + Σ_{j≠k,p(k)} exp(s_kj − s_kp)) with each exponent in
        // [−2/τ, 2/τ]: log(1 + (2N−2)e^(−2/τ)) ≤ L ≤ log(1 + (2N−2)e^(2/τ)). So L > 0 in exact arithmetic, a sharper
        // claim than L ≥ 0; in doubles the lower bound can round to 0 for small τ, so the check allows that.
        qt().withExamples(150).forAll(longs().all(), integers().between(2, 8), integers().between(1, 8),
                doubles().between(0.01, 3)).check((seed, n, d, tau) -> {
                    Random r = new Random(seed);
                    double[][] a = TestSupport.gaussian(r, n, d, 2);
                    double[][] b = r.nextBoolean() ? TestSupport.copy(a) : TestSupport.gaussian(r, n, d, 2);
                    double v = NtXentLoss.of(tau).compute(a, b).value();
                    double lower = Math.log1p((2 * n - 2) * Math.exp(-2 / tau));
                    double upper = Math.log1p((2 * n - 2) * Math.exp(2 / tau));
                    double slack = 1e-12 * Math.max(1, 1 / tau);
                    return Double.isFinite(v) && v >= 0 && v >= lower - slack && v <= upper + slack;
                });
    }

    @Test
    void isInvariantToPositiveRescalingOfAnyRow() {
        qt().withExamples(80).forAll(longs().all(), integers().between(2, 6), doubles().between(-3, 3))
                .check((seed, n, logScale) -> {
                    Random r = new Random(seed);
                    int d = 5;
                    double[][] a = TestSupport.gaussian(r, n, d, 1);
                    double[][] b = TestSupport.gaussian(r, n, d, 1);
                    double[][] a2 = TestSupport.copy(a);
                    double[][] b2 = TestSupport.copy(b);
                    double[] ca = new double[n];
                    double[] cb = new double[n];
                    for (int i = 0; i < n; i++) {
                        ca[i] = Math.pow(10, logScale) * (0.5 + r.nextDouble());
                        cb[i] = r.nextBoolean() ? 1 : Math.pow(10, -logScale) * (0.5 + r.nextDouble());
                        for (int k = 0; k < d; k++) {
                            a2[i][k] *= ca[i];
                            b2[i][k] *= cb[i];
                        }
                    }
                    NtXentLoss.Value x = DEFAULT.compute(a, b);
                    NtXentLoss.Value y = DEFAULT.compute(a2, b2);
                    // The gradient of a scale-invariant function scales by 1/c.
                    for (int i = 0; i < n; i++) {
                        for (int k = 0; k < d; k++) {
                            double ga = x.dA()[i][k] / ca[i];
                            double gb = x.dB()[i][k] / cb[i];
                            if (Math.abs(ga - y.dA()[i][k]) > 1e-8 * Math.max(1e-3 / ca[i], Math.abs(ga))
                                    || Math.abs(gb - y.dB()[i][k]) > 1e-8 * Math.max(1e-3 / cb[i], Math.abs(gb))) {
                                return false;
                            }
                        }
                    }
                    return Math.abs(x.value() - y.value()) <= 1e-11 * Math.max(1, x.value());
                });
    }

    @Test
    void isInvariantToPermutingTheRecords() {
        qt().withExamples(80).forAll(longs().all(), integers().between(2, 7)).check((seed, n) -> {
            Random r = new Random(seed);
            double[][] a = TestSupport.gaussian(r, n, 4, 1);
            double[][] b = TestSupport.gaussian(r, n, 4, 1);
            int[] perm = TestSupport.distinctIndices(r, n, n);
            NtXentLoss.Value x = DEFAULT.compute(a, b);
            NtXentLoss.Value y = DEFAULT.compute(TestSupport.permuteRows(a, perm), TestSupport.permuteRows(b, perm));
            return Math.abs(x.value() - y.value()) <= 1e-12 * Math.max(1, x.value())
                    && TestSupport.close(TestSupport.permuteRows(x.dA(), perm), y.dA(), 1e-10, 1e-6)
                    && TestSupport.close(TestSupport.permuteRows(x.dB(), perm), y.dB(), 1e-10, 1e-6);
        });
    }

    @Test
    void isSymmetricInSwappingTheViews() {
        qt().withExamples(80).forAll(longs().all(), integers().between(2, 7), doubles().between(0.05, 1))
                .check((seed, n, tau) -> {
                    Random r = new Random(seed);
                    double[][] a = TestSupport.gaussian(r, n, 3, 1);
                    double[][] b = TestSupport.gaussian(r, n, 3, 1);
                    NtXentLoss loss = NtXentLoss.of(tau);
                    NtXentLoss.Value x = loss.compute(a, b);
                    NtXentLoss.Value y = loss.compute(b, a);
                    return Math.abs(x.value() - y.value()) <= 1e-12 * Math.max(1, x.value())
                            && TestSupport.close(x.dA(), y.dB(), 1e-10, 1e-6)
                            && TestSupport.close(x.dB(), y.dA(), 1e-10, 1e-6);
                });
    }

    /**
     * "Moving b towards a lowers the loss" is not true in general: at b = a each view's negatives include exact
     * copies of the other records' anchors, and nudging them apart lowers the loss to first order while the positive
     * cosines (at their maximum 1) lose only to second order. It is true when rotating every b_i towards its a_i
     * leaves all other scores unchanged: orthonormal records, each b_i tilted by angle θ into its own spare axis, under
     * a random rotation and rescaling. There L = log(1 + (2N−2)·exp(−cos θ/τ)), strictly increasing in θ ∈ [0, π].
     */
    @Test
    void decreasesWhenEachViewIsTurnedTowardsItsPartner() {
        qt().withExamples(80).forAll(longs().all(), integers().between(2, 6), doubles().between(0.1, Math.PI),
                doubles().between(0.05, 1)).check((seed, n, theta, tau) -> {
                    Random r = new Random(seed);
                    double nearer = theta * r.nextDouble() * 0.95;
                    UnaryOperator<double[][]> rotate = TestSupport.orthogonal(r, 2 * n);
                    double[][] a = new double[n][2 * n];
                    for (int i = 0; i < n; i++) {
                        a[i][i] = 0.5 + r.nextDouble();
                    }
                    NtXentLoss loss = NtXentLoss.of(tau);
                    double far = loss.compute(rotate.apply(a), rotate.apply(tilted(n, theta, r))).value();
                    double near = loss.compute(rotate.apply(a), rotate.apply(tilted(n, nearer, r))).value();
                    double closedForm = Math.log1p((2 * n - 2) * Math.exp(-Math.cos(theta) / tau));
                    return near < far && Math.abs(far - closedForm) <= 1e-10 * Math.max(1, closedForm);
                });
    }

    /** b_i = c_i·(cos θ e_i + sin θ e_{N+i}) with a random positive length c_i. */
    private static double[][] tilted(int n, double theta, Random r) {
        double[][] b = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            double c = 0.5 + 2 * r.nextDouble();
            b[i][i] = c * Math.cos(theta);
            b[i][n + i] = c * Math.sin(theta);
        }
        return b;
    }

    @Test
    void aGradientStepLowersTheLoss() {
        qt().withExamples(60).forAll(longs().all(), integers().between(2, 6)).check((seed, n) -> {
            Random r = new Random(seed);
            double[][] a = TestSupport.gaussian(r, n, 4, 1);
            double[][] b = TestSupport.gaussian(r, n, 4, 1);
            NtXentLoss.Value v = DEFAULT.compute(a, b);
            double step = 1e-4;
            double[][] a2 = TestSupport.copy(a);
            double[][] b2 = TestSupport.copy(b);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 4; k++) {
                    a2[i][k] -= step * v.dA()[i][k];
                    b2[i][k] -= step * v.dB()[i][k];
                }
            }
            return DEFAULT.compute(a2, b2).value() < v.value();
        });
    }

    @Test
    void extremeInputsStayFinite() {
        // Tiny temperature (scores of ±1000), huge and tiny rows, a zero row: log-sum-exp and the scaled norm hold.
        double[][] a = {{1e200, -1e200, 3}, {1e-200, 0, 0}, {0, 0, 0}};
        double[][] b = {{-1, 2, 0.5}, {7, 7, 7}, {1e-5, 3, -2}};
        NtXentLoss.Value v = NtXentLoss.of(1e-3).compute(a, b);
        assertTrue(Double.isFinite(v.value()) && v.value() >= 0, "value " + v.value());
        assertAllFinite("dA", v.dA());
        assertAllFinite("dB", v.dB());
    }

    @Test
    void doesNotChangeItsInputs() {
        Random r = new Random(9);
        double[][] a = TestSupport.gaussian(r, 4, 3, 1);
        double[][] b = TestSupport.gaussian(r, 4, 3, 1);
        double[][] a0 = TestSupport.copy(a);
        double[][] b0 = TestSupport.copy(b);
        DEFAULT.compute(a, b);
        assertClose(a0, a, 0, "a");
        assertClose(b0, b, 0, "b");
    }

    @Test
    void badInputsNameTheArgument() {
        double[][] ok = {{1, 0}, {0, 1}, {1, 1}};
        assertMessage("a", () -> DEFAULT.compute(null, ok));
        assertMessage("b", () -> DEFAULT.compute(ok, null));
        assertMessage("N ≥ 2", () -> DEFAULT.compute(new double[][] {{1, 2}}, new double[][] {{3, 4}}));
        assertMessage("N ≥ 2", () -> DEFAULT.compute(new double[0][], new double[0][]));
        assertMessage("b has 2 rows", () -> DEFAULT.compute(ok, new double[][] {{1, 0}, {0, 1}}));
        assertMessage("b row 1 has 3 columns", () -> DEFAULT.compute(ok, new double[][] {{1, 0}, {0, 1, 2}, {1, 1}}));
        assertMessage("a row 2 has 1 columns", () -> DEFAULT.compute(new double[][] {{1, 0}, {0, 1}, {1}}, ok));
        assertMessage("a has D = 0", () -> DEFAULT.compute(new double[3][0], new double[3][0]));
        assertMessage("b[2][1] is not finite: NaN",
                () -> DEFAULT.compute(ok, new double[][] {{1, 0}, {0, 1}, {1, Double.NaN}}));
        assertMessage("a[0][0] is not finite: Infinity",
                () -> DEFAULT.compute(new double[][] {{Double.POSITIVE_INFINITY, 0}, {0, 1}, {1, 1}}, ok));
    }

    @Test
    void temperatureMustBeFiniteAndPositive() {
        for (double bad : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.ntXent(bad));
            assertTrue(e.getMessage().contains("temperature") && e.getMessage().contains(String.valueOf(bad)),
                    e.getMessage());
        }
    }

    @Test
    void nameAndConfigForProvenance() {
        assertEquals(NtXentLoss.DEFAULT_TEMPERATURE, DEFAULT.temperature());
        assertEquals(0.1, NtXentLoss.DEFAULT_TEMPERATURE);
        assertEquals("nt-xent", DEFAULT.name());
        assertEquals(Map.of("temperature", 0.2, "normalisation", "l2, eps 1e-12", "reduction",
                "mean over 2N anchors"), Losses.ntXent(0.2).config());
        assertSame(NtXentLoss.class, Losses.ntXent(0.3).getClass());
        assertEquals(0.3, Losses.ntXent(0.3).temperature());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
