package dev.mvkt.losses;

import dev.mvkt.api.LossContext;
import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.mvkt.losses.TestSupport.assertAllFinite;
import static dev.mvkt.losses.TestSupport.assertClose;
import static dev.mvkt.losses.TestSupport.embeddings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class CltLossTest {
    private static final int N = 20;
    private static final int D = 6;
    private static final int K = 8;

    private static CltLoss small(CltForm form, NegativeSampling sampling, long seed) {
        CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(K).optForm(form)
                .optNegativeSampling(sampling).build();
        LossContext context = TestSupport.context(new Random(seed), N, 4, seed);
        // Random multi-hot rows can all share the first bit (probability (2/3)^20), and then first-bit sampling has
        // no negatives and prepare() rightly refuses. Two fixed rows keep both groups, and two first labels, present.
        context.trainLabels()[0] = new float[] {1, 0, 0, 0};
        context.trainLabels()[1] = new float[] {0, 1, 0, 0};
        clt.prepare(context);
        return clt;
    }

    private static void setAllRows(MemoryBank bank, double[] row) {
        for (int j = 0; j < bank.rows(); j++) {
            bank.setRow(j, row);
        }
    }

    private static double[] unit(double[] v) {
        double n = Numerics.norm(v);
        double[] u = v.clone();
        for (int k = 0; k < u.length; k++) {
            u[k] /= n;
        }
        return u;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(CltForm.class)
    void isNonNegativeAndFinite(CltForm form) {
        qt().withExamples(60).forAll(longs().all(), integers().between(1, 6), doubles().between(0.02, 1))
                .check((seed, b, tau) -> {
                    CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(K).optTemperature(tau)
                            .optForm(form).build();
                    Random r = new Random(seed);
                    clt.prepare(TestSupport.context(r, N, 3, seed));
                    double[][] s = TestSupport.gaussian(r, b, D, 3);
                    double[][] t = TestSupport.gaussian(r, b, D, 3);
                    int[] idx = TestSupport.indices(r, b, N);
                    if (r.nextBoolean()) {
                        clt.afterStep(embeddings(s, t, idx));
                    }
                    double v = clt.compute(embeddings(s, t, idx)).value();
                    return v >= 0 && Double.isFinite(v);
                });
    }

    @ParameterizedTest
    @EnumSource(CltForm.class)
    void isInvariantToPositiveRescalingOfRawEmbeddings(CltForm form) {
        qt().withExamples(60).forAll(longs().all(), integers().between(1, 5), doubles().between(-3, 3))
                .check((seed, b, logScale) -> {
                    CltLoss clt = small(form, NegativeSampling.UNIFORM, seed);
                    Random r = new Random(seed);
                    double[][] s = TestSupport.gaussian(r, b, D, 1);
                    double[][] t = TestSupport.gaussian(r, b, D, 1);
                    int[] idx = TestSupport.indices(r, b, N);
                    double c = Math.pow(10, logScale);
                    double[][] s2 = TestSupport.copy(s);
                    double[][] t2 = TestSupport.copy(t);
                    double[] perRow = new double[b];
                    for (int i = 0; i < b; i++) {
                        perRow[i] = c * (0.5 + r.nextDouble());
                        for (int k = 0; k < D; k++) {
                            s2[i][k] *= perRow[i];
                            t2[i][k] *= c;
                        }
                    }
                    LossValue a = clt.compute(embeddings(s, t, idx));
                    LossValue z = clt.compute(embeddings(s2, t2, idx));
                    // The gradient of a scale-invariant function scales by 1/c.
                    for (int i = 0; i < b; i++) {
                        for (int k = 0; k < D; k++) {
                            double gs = a.dStudentEmbedding()[i][k] / perRow[i];
                            double gt = a.dTeacherEmbedding()[i][k] / c;
                            if (Math.abs(gs - z.dStudentEmbedding()[i][k]) > 1e-9 * Math.max(1e-3, Math.abs(gs))
                                    || Math.abs(gt - z.dTeacherEmbedding()[i][k])
                                    > 1e-9 * Math.max(1e-3, Math.abs(gt))) {
                                return false;
                            }
                        }
                    }
                    return Math.abs(a.value() - z.value()) <= 1e-11 * Math.max(1, a.value());
                });
    }

    @ParameterizedTest
    @EnumSource(NegativeSampling.class)
    void isInvariantToPermutingBatchRows(NegativeSampling sampling) {
        qt().withExamples(40).forAll(longs().all(), integers().between(2, 6)).check((seed, b) -> {
            CltLoss clt = small(CltForm.INFO_NCE, sampling, seed);
            Random r = new Random(seed);
            double[][] s = TestSupport.gaussian(r, b, D, 1);
            double[][] t = TestSupport.gaussian(r, b, D, 1);
            int[] idx = TestSupport.indices(r, b, N);
            int[] perm = TestSupport.distinctIndices(r, b, b);
            double[][] sp = new double[b][];
            double[][] tp = new double[b][];
            int[] ip = new int[b];
            for (int i = 0; i < b; i++) {
                sp[i] = s[perm[i]];
                tp[i] = t[perm[i]];
                ip[i] = idx[perm[i]];
            }
            LossValue a = clt.compute(embeddings(s, t, idx));
            LossValue p = clt.compute(embeddings(sp, tp, ip));
            for (int i = 0; i < b; i++) {
                if (!java.util.Arrays.equals(a.dStudentEmbedding()[perm[i]], p.dStudentEmbedding()[i])) {
                    return false;
                }
            }
            return Math.abs(a.value() - p.value()) <= 1e-12 * a.value();
        });
    }

    @Test
    void infoNceIsTwiceLogKPlusOneWhenAllSimilaritiesAreEqual() {
        // The paper's full size: K = 1024, D = 128.
        CltLoss clt = CltLoss.builder().build();
        Random r = new Random(3);
        clt.prepare(new LossContext(2000, null, 3));
        double[] row = unit(TestSupport.gaussian(r, 1, 128, 1)[0]);
        setAllRows(clt.studentBank(), row);
        setAllRows(clt.teacherBank(), row);
        double[][] s = TestSupport.gaussian(r, 32, 128, 5);
        double[][] t = TestSupport.gaussian(r, 32, 128, 5);
        LossValue v = clt.compute(embeddings(s, t, TestSupport.indices(r, 32, 2000)));
        assertEquals(2 * Math.log(1025), v.value(), 1e-10);
        // Every score is equal, so nothing can be gained by moving an anchor.
        for (double[] g : v.dStudentEmbedding()) {
            for (double x : g) {
                assertEquals(0, x, 1e-12);
            }
        }
    }

    @Test
    void infoNceIsLogKPlusOnePerAnchorForAnyKWhenBanksAreConstant() {
        qt().withExamples(40).forAll(longs().all(), integers().between(1, 40), integers().between(1, 5))
                .check((seed, k, b) -> {
                    CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(k).build();
                    Random r = new Random(seed);
                    clt.prepare(new LossContext(30, null, seed));
                    double[] row = unit(TestSupport.gaussian(r, 1, D, 1)[0]);
                    setAllRows(clt.studentBank(), row);
                    setAllRows(clt.teacherBank(), row);
                    double v = clt.compute(embeddings(TestSupport.gaussian(r, b, D, 1),
                            TestSupport.gaussian(r, b, D, 1), TestSupport.indices(r, b, 30))).value();
                    return Math.abs(v - 2 * Math.log(k + 1)) <= 1e-12 * v;
                });
    }

    @ParameterizedTest
    @EnumSource(CltForm.class)
    void fallsAsThePositivePairsSimilarityRises(CltForm form) {
        qt().withExamples(60).forAll(longs().all(), doubles().between(0, Math.PI), doubles().between(0, Math.PI))
                .check((seed, a1, a2) -> {
                    if (Math.abs(a1 - a2) < 1e-2) {
                        return true;
                    }
                    CltLoss clt = small(form, NegativeSampling.UNIFORM, seed);
                    Random r = new Random(seed);
                    double[][] s = TestSupport.gaussian(r, 1, D, 1);
                    double[][] t = TestSupport.gaussian(r, 1, D, 1);
                    int[] idx = {r.nextInt(N)};
                    double[] sHat = unit(s[0]);
                    double[] w = TestSupport.gaussian(r, 1, D, 1)[0];
                    double proj = dot(w, sHat);
                    for (int k = 0; k < D; k++) {
                        w[k] -= proj * sHat[k];
                    }
                    w = unit(w);
                    double[] losses = new double[2];
                    double[] angles = {Math.min(a1, a2), Math.max(a1, a2)};
                    for (int n = 0; n < 2; n++) {
                        double[] pos = new double[D];
                        for (int k = 0; k < D; k++) {
                            pos[k] = Math.cos(angles[n]) * sHat[k] + Math.sin(angles[n]) * w[k];
                        }
                        clt.teacherBank().setRow(idx[0], pos);
                        losses[n] = clt.compute(embeddings(s, t, idx)).value();
                    }
                    return losses[0] < losses[1];
                });
    }

    @ParameterizedTest
    @EnumSource(CltForm.class)
    void gradientMatchesFiniteDifferences(CltForm form) {
        for (NegativeSampling sampling : NegativeSampling.values()) {
            for (long seed = 1; seed <= 4; seed++) {
                CltLoss clt = small(form, sampling, seed);
                Random r = new Random(seed * 31);
                int b = 1 + r.nextInt(4);
                double[][] s = TestSupport.gaussian(r, b, D, 1);
                double[][] t = TestSupport.gaussian(r, b, D, 1);
                int[] idx = TestSupport.indices(r, b, N);
                if (form == CltForm.NCE) {
                    // NCE's gradient treats Z as a constant, which it is only once fixed by the first step.
                    clt.afterStep(embeddings(TestSupport.gaussian(r, b, D, 1), TestSupport.gaussian(r, b, D, 1),
                            idx));
                }
                if (seed % 2 == 0) {
                    // Some rows move after their sample is visited; check the gradient on a non-initial bank too.
                    clt.afterStep(embeddings(s, t, idx));
                }
                LossValue v = clt.compute(embeddings(s, t, idx));
                String what = "clt " + form + " " + sampling + " seed " + seed;
                TestSupport.checkGradient(what + " dStudentEmbedding", s, v.dStudentEmbedding(),
                        x -> clt.compute(embeddings(x, t, idx)).value());
                TestSupport.checkGradient(what + " dTeacherEmbedding", t, v.dTeacherEmbedding(),
                        x -> clt.compute(embeddings(s, x, idx)).value());
                assertNull(v.dStudentLogits());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CltForm.class)
    void staysFiniteAtExtremeEmbeddings(CltForm form) {
        CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(K).optForm(form).optTemperature(0.01)
                .build();
        clt.prepare(new LossContext(N, null, 9));
        double big = 1e300;
        double tiny = 1e-300;
        double[][] s = {
                {big, -big, big, 0, 1, -1},
                {tiny, 0, 0, 0, 0, -tiny},
                {0, 0, 0, 0, 0, 0},
                {1e-13, 0, 0, 0, 0, 0},
                {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE,
                    Double.MAX_VALUE}};
        double[][] t = {
                {-big, big, 0, 0, 0, 0},
                {Double.MIN_VALUE, 0, 0, 0, 0, 0},
                {1e150, 1e-150, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 0},
                {-1, -1, -1, -1, -1, -1}};
        int[] idx = {0, 1, 2, 3, 19};
        for (int step = 0; step < 3; step++) {
            LossValue v = clt.compute(embeddings(s, t, idx));
            assertTrue(Double.isFinite(v.value()), "value " + v.value());
            assertTrue(v.value() >= 0);
            assertAllFinite("dStudentEmbedding", v.dStudentEmbedding());
            assertAllFinite("dTeacherEmbedding", v.dTeacherEmbedding());
            clt.afterStep(embeddings(s, t, idx));
            for (int j = 0; j < N; j++) {
                for (double x : clt.studentBank().row(j)) {
                    assertTrue(Double.isFinite(x));
                }
            }
        }
    }

    @Test
    void computeChangesNoState() {
        for (CltForm form : CltForm.values()) {
            CltLoss clt = small(form, NegativeSampling.DIFFERENT_FIRST_LABEL, 4);
            Random r = new Random(4);
            double[][] s = TestSupport.gaussian(r, 3, D, 1);
            double[][] t = TestSupport.gaussian(r, 3, D, 1);
            int[] idx = TestSupport.indices(r, 3, N);
            double[] before = clt.studentBank().row(idx[0]);
            LossValue a = clt.compute(embeddings(s, t, idx));
            LossValue b = clt.compute(embeddings(s, t, idx));
            assertEquals(a.value(), b.value());
            assertClose(a.dStudentEmbedding(), b.dStudentEmbedding(), 0, "repeated dStudentEmbedding");
            assertArrayEquals(before, clt.studentBank().row(idx[0]));
            assertEquals(0, clt.step());
            assertTrue(Double.isNaN(clt.logZStudent()), "compute must not fix NCE's Z");
            clt.afterStep(embeddings(s, t, idx));
            assertEquals(1, clt.step());
            assertNotEquals(a.value(), clt.compute(embeddings(s, t, idx)).value());
        }
    }

    @Test
    void sameSeedSameLossDifferentSeedDifferentBanks() {
        Random r = new Random(8);
        double[][] s = TestSupport.gaussian(r, 4, D, 1);
        double[][] t = TestSupport.gaussian(r, 4, D, 1);
        int[] idx = TestSupport.indices(r, 4, N);
        CltLoss a = small(CltForm.INFO_NCE, NegativeSampling.UNIFORM, 7);
        CltLoss b = small(CltForm.INFO_NCE, NegativeSampling.UNIFORM, 7);
        CltLoss c = small(CltForm.INFO_NCE, NegativeSampling.UNIFORM, 8);
        assertEquals(a.compute(embeddings(s, t, idx)).value(), b.compute(embeddings(s, t, idx)).value());
        assertFalse(java.util.Arrays.equals(a.studentBank().row(0), c.studentBank().row(0)));
        assertFalse(java.util.Arrays.equals(a.studentBank().row(0), a.teacherBank().row(0)),
                "the two banks must not start identical");
    }

    @Test
    void banksStartUniformWithinTheCrdRange() {
        CltLoss clt = CltLoss.builder().build();
        clt.prepare(new LossContext(500, null, 1));
        double s = 1 / Math.sqrt(128 / 3.0);
        double sumSq = 0;
        for (int j = 0; j < 500; j++) {
            for (double x : clt.teacherBank().row(j)) {
                assertTrue(Math.abs(x) <= s * (1 + 1e-6));
                sumSq += x * x;
            }
        }
        // E[x²] = s²/3, so a row's mean squared norm is 128·s²/3 = 1.
        assertEquals(1.0, sumSq / 500, 0.02);
    }

    @Test
    void afterStepMovesVisitedRowsTowardTheEmbeddingAndKeepsThemUnit() {
        qt().withExamples(40).forAll(longs().all(), integers().between(1, 8), doubles().between(0.05, 0.95))
                .check((seed, b, m) -> {
                    CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(K).optMomentum(m).build();
                    Random r = new Random(seed);
                    clt.prepare(new LossContext(N, null, seed));
                    double[][] s = TestSupport.gaussian(r, b, D, 3);
                    double[][] t = TestSupport.gaussian(r, b, D, 3);
                    int[] idx = TestSupport.distinctIndices(r, b, N);
                    double[][] oldS = new double[N][];
                    double[][] oldT = new double[N][];
                    for (int j = 0; j < N; j++) {
                        oldS[j] = clt.studentBank().row(j);
                        oldT[j] = clt.teacherBank().row(j);
                    }
                    clt.afterStep(embeddings(s, t, idx));
                    Set<Integer> visited = new HashSet<>();
                    for (int i = 0; i < b; i++) {
                        visited.add(idx[i]);
                        if (!movedToward(oldS[idx[i]], clt.studentBank().row(idx[i]), unit(s[i]), m)
                                || !movedToward(oldT[idx[i]], clt.teacherBank().row(idx[i]), unit(t[i]), m)) {
                            return false;
                        }
                    }
                    for (int j = 0; j < N; j++) {
                        if (!visited.contains(j) && (!java.util.Arrays.equals(oldS[j], clt.studentBank().row(j))
                                || !java.util.Arrays.equals(oldT[j], clt.teacherBank().row(j)))) {
                            return false;
                        }
                    }
                    return clt.step() == 1;
                });
    }

    /** new = normalize(m·old + (1−m)·e), unit (to float precision), and at least as close to e as old was. */
    private static boolean movedToward(double[] old, double[] now, double[] e, double m) {
        double[] expected = new double[old.length];
        for (int k = 0; k < old.length; k++) {
            expected[k] = m * old[k] + (1 - m) * e[k];
        }
        expected = unit(expected);
        for (int k = 0; k < old.length; k++) {
            // Banks store floats.
            if (Math.abs(expected[k] - now[k]) > 1e-6) {
                return false;
            }
        }
        double oldCos = dot(old, e) / Numerics.norm(old);
        return Math.abs(Numerics.norm(now) - 1) < 1e-6 && dot(now, e) >= oldCos - 1e-6;
    }

    @Test
    void nceFixesZOnTheFirstStepOnly() {
        CltLoss clt = small(CltForm.NCE, NegativeSampling.UNIFORM, 2);
        Random r = new Random(2);
        double[][] s = TestSupport.gaussian(r, 4, D, 1);
        double[][] t = TestSupport.gaussian(r, 4, D, 1);
        int[] idx = TestSupport.indices(r, 4, N);
        double before = clt.compute(embeddings(s, t, idx)).value();
        clt.afterStep(embeddings(s, t, idx));
        double zS = clt.logZStudent();
        double zT = clt.logZTeacher();
        assertTrue(Double.isFinite(zS) && Double.isFinite(zT));
        assertTrue(before > 0);
        clt.afterStep(embeddings(TestSupport.gaussian(r, 4, D, 1), TestSupport.gaussian(r, 4, D, 1), idx));
        assertEquals(zS, clt.logZStudent());
        assertEquals(zT, clt.logZTeacher());
        clt.prepare(TestSupport.context(r, N, 4, 2));
        assertTrue(Double.isNaN(clt.logZStudent()), "prepare starts over");
        assertEquals(0, clt.step());
    }

    @Test
    void nceMatchesTheCrdFormulaWrittenOut() {
        CltLoss clt = small(CltForm.NCE, NegativeSampling.UNIFORM, 6);
        Random r = new Random(6);
        double[][] s = TestSupport.gaussian(r, 3, D, 1);
        double[][] t = TestSupport.gaussian(r, 3, D, 1);
        int[] idx = TestSupport.indices(r, 3, N);
        double tau = CltLoss.DEFAULT_TEMPERATURE;
        // Before Z is fixed it comes from this batch: Z = N · mean(exp(score/τ)).
        double[][] pS = new double[3][K + 1];
        double[][] pT = new double[3][K + 1];
        double sumS = 0;
        double sumT = 0;
        for (int i = 0; i < 3; i++) {
            int[] neg = clt.negatives(idx[i], 0);
            for (int j = 0; j <= K; j++) {
                int row = j == 0 ? idx[i] : neg[j - 1];
                pS[i][j] = Math.exp(dot(unit(s[i]), clt.teacherBank().row(row)) / tau);
                pT[i][j] = Math.exp(dot(unit(t[i]), clt.studentBank().row(row)) / tau);
                sumS += pS[i][j];
                sumT += pT[i][j];
            }
        }
        double zS = sumS / (3 * (K + 1)) * N;
        double zT = sumT / (3 * (K + 1)) * N;
        double mPn = (double) K / N;
        double eps = 1e-7;
        double expected = 0;
        for (double[][] p : new double[][][] {pS, pT}) {
            double z = p == pS ? zS : zT;
            double loss = 0;
            for (int i = 0; i < 3; i++) {
                double pPos = p[i][0] / z;
                loss += Math.log(pPos / (pPos + mPn + eps));
                for (int j = 1; j <= K; j++) {
                    loss += Math.log(mPn / (p[i][j] / z + mPn + eps));
                }
            }
            expected += -loss / 3;
        }
        assertEquals(expected, clt.compute(embeddings(s, t, idx)).value(), 1e-10 * expected);
    }

    @Test
    void uniformNegativesAreDistinctOtherSamplesUnlessTooFew() {
        for (int n : new int[] {2, 5, 9, 10, 50}) {
            CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(K).build();
            clt.prepare(new LossContext(n, null, n));
            for (int idx = 0; idx < n; idx++) {
                for (long step = 0; step < 3; step++) {
                    int[] neg = clt.negatives(idx, step);
                    assertEquals(K, neg.length);
                    Set<Integer> distinct = new HashSet<>();
                    for (int j : neg) {
                        assertTrue(j >= 0 && j < n && j != idx, "negative " + j + " for anchor " + idx);
                        distinct.add(j);
                    }
                    if (n - 1 >= K) {
                        assertEquals(K, distinct.size(), "without replacement when the pool is large enough");
                    }
                }
            }
        }
    }

    @Test
    void uniformNegativesCoverThePool() {
        CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(3).build();
        clt.prepare(new LossContext(10, null, 1));
        int[] counts = new int[10];
        for (long step = 0; step < 3000; step++) {
            for (int j : clt.negatives(4, step)) {
                counts[j]++;
            }
        }
        assertEquals(0, counts[4]);
        for (int j = 0; j < 10; j++) {
            if (j != 4) {
                // 9000 draws over 9 rows: 1000 each on average.
                assertTrue(counts[j] > 850 && counts[j] < 1150, "row " + j + " drawn " + counts[j] + " times");
            }
        }
    }

    @Test
    void firstLabelNegativesComeFromOtherFirstLabels() {
        qt().withExamples(30).forAll(longs().all(), integers().between(1, 30)).check((seed, k) -> {
            Random r = new Random(seed);
            int n = 40;
            float[][] labels = TestSupport.multiHotFloat(r, n, 3);
            labels[0] = new float[] {1, 0, 0};
            labels[1] = new float[] {0, 1, 1};
            CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(k)
                    .optNegativeSampling(NegativeSampling.DIFFERENT_FIRST_LABEL).build();
            clt.prepare(new LossContext(n, labels, seed));
            int[] first = clt.firstLabels();
            for (int idx = 0; idx < n; idx++) {
                int pool = 0;
                for (int j = 0; j < n; j++) {
                    if (first[j] != first[idx]) {
                        pool++;
                    }
                }
                int[] neg = clt.negatives(idx, seed & 7);
                Set<Integer> distinct = new HashSet<>();
                for (int j : neg) {
                    if (first[j] == first[idx]) {
                        return false;
                    }
                    distinct.add(j);
                }
                if (neg.length != k || (pool >= k && distinct.size() != k)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void firstLabelIsTheFirstPositiveEntryOrMinusOne() {
        float[][] labels = {{0, 1, 1}, {0, 0, 0}, {1, 0, 1}, {0, 0, 1}};
        CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(2)
                .optNegativeSampling(NegativeSampling.DIFFERENT_FIRST_LABEL).build();
        clt.prepare(new LossContext(4, labels, 0));
        assertArrayEquals(new int[] {1, -1, 0, 2}, clt.firstLabels());
    }

    @Test
    void theDatasetsOwnFirstLabelWinsOverTheLowestPositiveClass() {
        // CPSC2018 "A1041,4,2": labelled AF (class index 1) and LBBB (index 3), listed LBBB first.
        float[][] labels = {{0, 1, 0, 1}, {0, 1, 0, 0}, {0, 0, 0, 1}, {1, 0, 0, 0}};
        int[] listedFirst = {3, 1, 3, 0};
        CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(2)
                .optNegativeSampling(NegativeSampling.DIFFERENT_FIRST_LABEL).build();
        clt.prepare(new LossContext(4, labels, listedFirst, 0));
        assertArrayEquals(listedFirst, clt.firstLabels());
        for (int round = 0; round < 20; round++) {
            for (int j : clt.negatives(0, round)) {
                assertTrue(j == 1 || j == 3, "record 0 (first label LBBB) drew negative " + j);
            }
        }
        clt.prepare(new LossContext(4, labels, 0));
        assertArrayEquals(new int[] {1, 1, 3, 0}, clt.firstLabels(), "without the order: the lowest positive class");
    }

    @Test
    void theFirstBitRuleGroupsByClassZero() {
        float[][] labels = {{1, 0, 1}, {0, 1, 0}, {1, 1, 0}, {0, 0, 1}, {0, 0, 0}};
        CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(2)
                .optNegativeSampling(NegativeSampling.DIFFERENT_FIRST_BIT).build();
        clt.prepare(new LossContext(5, labels, new int[] {2, 1, 1, 2, -1}, 0));
        assertArrayEquals(new int[] {1, 0, 1, 0, 0}, clt.firstLabels(), "label[i][0], whatever the listed order");
        for (int round = 0; round < 20; round++) {
            for (int j : clt.negatives(1, round)) {
                assertTrue(j == 0 || j == 2, "record 1 (no class 0) drew negative " + j);
            }
        }
    }

    @Test
    void firstLabelSamplingNeedsLabelsAndSomeOtherLabel() {
        CltLoss clt = CltLoss.builder().optNegativeSampling(NegativeSampling.DIFFERENT_FIRST_LABEL).build();
        IllegalArgumentException noLabels = assertThrows(IllegalArgumentException.class,
                () -> clt.prepare(new LossContext(5, null, 0)));
        assertTrue(noLabels.getMessage().contains("trainLabels"), noLabels.getMessage());
        float[][] same = {{0, 1}, {0, 1}, {0, 1}};
        IllegalArgumentException oneLabel = assertThrows(IllegalArgumentException.class,
                () -> clt.prepare(new LossContext(3, same, 0)));
        assertTrue(oneLabel.getMessage().contains("first label 1"), oneLabel.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LossContext(3, same, new int[] {1, 1}, 0));
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> Losses.clt().prepare(new LossContext(1, null, 0)));
        assertTrue(tooSmall.getMessage().contains("trainSize was 1"), tooSmall.getMessage());
    }

    @Test
    void computeBeforePrepareIsAnIllegalState() {
        CltLoss clt = CltLoss.builder().optEmbeddingDim(D).build();
        LossInputs in = embeddings(new double[1][D], new double[1][D], new int[] {0});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> clt.compute(in));
        assertTrue(e.getMessage().contains("prepare"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> clt.afterStep(in));
    }

    @Test
    void badInputsNameTheField() {
        CltLoss clt = small(CltForm.INFO_NCE, NegativeSampling.UNIFORM, 1);
        double[][] ok = new double[2][D];
        ok[0][0] = 1;
        ok[1][1] = 1;
        assertMessage("studentEmbedding", () -> clt.compute(embeddings(new double[2][D + 1], ok, new int[] {0, 1})));
        assertMessage("teacherEmbedding", () -> clt.compute(embeddings(ok, new double[][] {{1, 2}, {3, 4}},
                new int[] {0, 1})));
        assertMessage("teacherEmbedding", () -> clt.compute(embeddings(ok, new double[1][D], new int[] {0, 1})));
        assertMessage("teacherEmbedding", () -> clt.compute(embeddings(ok, null, new int[] {0, 1})));
        assertMessage("sampleIndices[1] = 20", () -> clt.compute(embeddings(ok, ok, new int[] {0, N})));
        assertMessage("sampleIndices[0] = -1", () -> clt.afterStep(embeddings(ok, ok, new int[] {-1, 0})));
        assertMessage("sampleIndices", () -> clt.compute(embeddings(ok, ok, null)));
        double[][] nan = TestSupport.copy(ok);
        nan[1][2] = Double.NaN;
        assertMessage("studentEmbedding[1][2]", () -> clt.compute(embeddings(nan, ok, new int[] {0, 1})));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    @Test
    void builderValidationNamesTheBadValue() {
        assertBuildFails("embeddingDim", "0", CltLoss.builder().optEmbeddingDim(0));
        assertBuildFails("negatives", "-3", CltLoss.builder().optNegatives(-3));
        assertBuildFails("temperature", "0.0", CltLoss.builder().optTemperature(0));
        assertBuildFails("temperature", "NaN", CltLoss.builder().optTemperature(Double.NaN));
        assertBuildFails("temperature", "Infinity", CltLoss.builder().optTemperature(Double.POSITIVE_INFINITY));
        assertBuildFails("momentum", "1.5", CltLoss.builder().optMomentum(1.5));
        assertBuildFails("momentum", "-0.1", CltLoss.builder().optMomentum(-0.1));
        assertBuildFails("momentum", "NaN", CltLoss.builder().optMomentum(Double.NaN));
        assertBuildFails("form", "null", CltLoss.builder().optForm(null));
        assertBuildFails("negativeSampling", "null", CltLoss.builder().optNegativeSampling(null));
    }

    private static void assertBuildFails(String setting, String value, CltLoss.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains(setting) && e.getMessage().contains(value),
                "message '" + e.getMessage() + "' should name " + setting + " and " + value);
    }

    @Test
    void configRecordsEveryHyperparameter() {
        CltLoss clt = CltLoss.builder().optEmbeddingDim(64).optNegatives(16384).optTemperature(0.1).optMomentum(0.9)
                .optForm(CltForm.NCE).optNegativeSampling(NegativeSampling.DIFFERENT_FIRST_LABEL).build();
        assertEquals(Map.of("form", "NCE", "embeddingDim", 64, "negatives", 16384, "temperature", 0.1,
                "momentum", 0.9, "negativeSampling", "DIFFERENT_FIRST_LABEL"), clt.config());
        assertEquals(64, clt.embeddingDim());
        assertTrue(clt.needsTeacher());
        assertEquals("clt", clt.name());
        CltLoss defaults = (CltLoss) Losses.clt();
        assertEquals(Map.of("form", "INFO_NCE", "embeddingDim", 128, "negatives", 1024, "temperature", 0.07,
                "momentum", 0.5, "negativeSampling", "UNIFORM"), defaults.config());
        assertEquals(clt.config(), ((CltLoss) Losses.clt(CltLoss.builder().optEmbeddingDim(64).optNegatives(16384)
                .optTemperature(0.1).optMomentum(0.9).optForm(CltForm.NCE)
                .optNegativeSampling(NegativeSampling.DIFFERENT_FIRST_LABEL))).config());
    }

    /** Loose bound: the method's batch (B = 32, K = 1024, D = 128) should take milliseconds, not a second. */
    @Test
    void paperSizedBatchIsFast() {
        CltLoss clt = CltLoss.builder().build();
        Random r = new Random(1);
        clt.prepare(new LossContext(17000, null, 1));
        double[][] s = TestSupport.gaussian(r, 32, 128, 1);
        double[][] t = TestSupport.gaussian(r, 32, 128, 1);
        int[] idx = TestSupport.indices(r, 32, 17000);
        for (int w = 0; w < 30; w++) {
            clt.compute(embeddings(s, t, idx));
        }
        int reps = 30;
        long start = System.nanoTime();
        double sink = 0;
        for (int w = 0; w < reps; w++) {
            sink += clt.compute(embeddings(s, t, idx)).value();
        }
        double ms = (System.nanoTime() - start) / 1e6 / reps;
        System.out.printf("clt compute B=32 K=1024 D=128: %.2f ms%n", ms);
        assertTrue(Double.isFinite(sink));
        assertTrue(ms < 500, "clt compute took " + ms + " ms");
    }
}
