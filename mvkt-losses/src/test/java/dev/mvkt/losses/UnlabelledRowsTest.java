package dev.mvkt.losses;

import dev.mvkt.api.LossContext;
import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Unlabelled rows (issue 13: MVKT on records without labels): BCE learns only from labelled rows, while MKD and CLT,
 * which need only the teacher, learn from every row; CLT's first-label sampling treats an unlabelled record's group
 * as unknown.
 */
class UnlabelledRowsTest {
    private static final int N = 40;
    private static final int C = 5;
    private static final int D = 8;

    private static boolean[] mask(Random r, int b) {
        boolean[] m = new boolean[b];
        for (int i = 0; i < b; i++) {
            m[i] = r.nextBoolean();
        }
        return m;
    }

    @Test
    void bceIsTheMeanOverLabelledRowsAndGivesUnlabelledRowsNoGradient() {
        qt().withExamples(60).forAll(longs().all(), integers().between(1, 8)).check((seed, b) -> {
            Random r = new Random(seed);
            double[][] z = TestSupport.gaussian(r, b, C, 3);
            double[][] y = TestSupport.multiHot(r, b, C);
            boolean[] m = mask(r, b);
            LossValue masked = Losses.bce().compute(new LossInputs(z, y, null, null, null, null, m));
            int[] kept = java.util.stream.IntStream.range(0, b).filter(i -> m[i]).toArray();
            if (kept.length == 0) {
                return masked.value() == 0 && TestSupport.maxAbs(masked.dStudentLogits()) == 0;
            }
            double[][] zk = Arrays.stream(kept).mapToObj(i -> z[i]).toArray(double[][]::new);
            double[][] yk = Arrays.stream(kept).mapToObj(i -> y[i]).toArray(double[][]::new);
            LossValue alone = Losses.bce().compute(LossInputs.of(zk, yk));
            if (Math.abs(masked.value() - alone.value()) > 1e-12) {
                return false;
            }
            int p = 0;
            for (int i = 0; i < b; i++) {
                double[] want = m[i] ? alone.dStudentLogits()[p++] : new double[C];
                if (!Arrays.equals(want, masked.dStudentLogits()[i])) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void mkdAndCltLearnFromUnlabelledRowsAsFromLabelledOnes() {
        qt().withExamples(30).forAll(longs().all(), integers().between(2, 6)).check((seed, b) -> {
            Random r = new Random(seed);
            CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(6).build();
            clt.prepare(TestSupport.context(r, N, C, seed));
            LossTerm mkd = Losses.mkd();
            double[][] z = TestSupport.gaussian(r, b, C, 3);
            double[][] t = TestSupport.gaussian(r, b, C, 3);
            double[][] s = TestSupport.gaussian(r, b, D, 1);
            double[][] e = TestSupport.gaussian(r, b, D, 1);
            int[] idx = TestSupport.distinctIndices(r, b, N);
            boolean[] none = new boolean[b]; // every row unlabelled
            double[][] zeros = new double[b][C];
            LossInputs unlabelled = new LossInputs(z, zeros, t, s, e, idx, none);
            LossInputs labelled = new LossInputs(z, TestSupport.multiHot(r, b, C), t, s, e, idx);
            LossValue mu = mkd.compute(unlabelled);
            LossValue ml = mkd.compute(labelled);
            LossValue cu = clt.compute(unlabelled);
            LossValue cl = clt.compute(labelled);
            // The teacher's terms ignore labels: identical values and gradients, and non-zero gradients.
            return mu.value() == ml.value() && Arrays.deepEquals(mu.dStudentLogits(), ml.dStudentLogits())
                    && TestSupport.maxAbs(mu.dStudentLogits()) > 0
                    && cu.value() == cl.value() && Arrays.deepEquals(cu.dStudentEmbedding(), cl.dStudentEmbedding())
                    && TestSupport.maxAbs(cu.dStudentEmbedding()) > 0 && TestSupport.maxAbs(cu.dTeacherEmbedding()) > 0;
        });
    }

    @Test
    void theMvktSumGivesAnUnlabelledRowExactlyTheTeacherTermsGradient() {
        Random r = new Random(7);
        int b = 6;
        LossTerm mkd = Losses.mkd();
        LossTerm sum = Losses.bce().plus(mkd.weight(1.0));
        double[][] z = TestSupport.gaussian(r, b, C, 3);
        double[][] t = TestSupport.gaussian(r, b, C, 3);
        double[][] y = TestSupport.multiHot(r, b, C);
        boolean[] m = {true, false, true, false, false, true};
        for (int i = 0; i < b; i++) {
            if (!m[i]) {
                Arrays.fill(y[i], 0);
            }
        }
        LossInputs in = new LossInputs(z, y, t, null, null, null, m);
        LossValue total = sum.compute(in);
        LossValue teacherOnly = mkd.compute(in);
        for (int i = 0; i < b; i++) {
            if (!m[i]) {
                assertTrue(Arrays.equals(teacherOnly.dStudentLogits()[i], total.dStudentLogits()[i]), "row " + i);
            } else {
                assertTrue(!Arrays.equals(teacherOnly.dStudentLogits()[i], total.dStudentLogits()[i]), "row " + i);
            }
        }
    }

    @Test
    void firstLabelSamplingDrawsAnUnlabelledAnchorsNegativesFromEveryoneAndOffersItToEveryAnchor() {
        int n = 60;
        float[][] labels = new float[n][C];
        int[] first = new int[n];
        boolean[] labelled = new boolean[n];
        for (int j = 0; j < n; j++) {
            labelled[j] = j % 3 != 0;
            first[j] = labelled[j] ? j % 2 : -1; // labelled records in groups 0 and 1
            if (labelled[j]) {
                labels[j][first[j]] = 1;
            }
        }
        CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(20)
                .optNegativeSampling(NegativeSampling.DIFFERENT_FIRST_LABEL).build();
        clt.prepare(new LossContext(n, labels, first, labelled, 3));
        boolean unlabelledSeen = false;
        boolean sameGroupSeenByUnlabelled = false;
        for (int step = 0; step < 20; step++) {
            for (int a = 0; a < n; a++) {
                for (int j : clt.negatives(a, step)) {
                    assertTrue(j != a, "anchor " + a + " drew itself");
                    if (labelled[a] && labelled[j]) {
                        assertTrue(first[j] != first[a], "labelled anchor " + a + " drew " + j + " of its group");
                    }
                    unlabelledSeen |= labelled[a] && !labelled[j];
                    sameGroupSeenByUnlabelled |= !labelled[a] && labelled[j] && first[j] == 0;
                }
            }
        }
        assertTrue(unlabelledSeen, "unlabelled records must be negatives of labelled anchors");
        assertTrue(sameGroupSeenByUnlabelled, "an unlabelled anchor draws from every group");
    }

    @Test
    void contextAndInputsCheckTheMaskLength() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LossContext(3, null, null, new boolean[2], 0));
        assertTrue(e.getMessage().contains("trainLabelled"), e.getMessage());
        var f = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LossInputs(new double[2][1], new double[2][1], null, null, null, null, new boolean[3]));
        assertTrue(f.getMessage().contains("labelled"), f.getMessage());
        assertEquals(1, new LossInputs(new double[2][1], new double[2][1], null, null, null, null,
                new boolean[]{true, false}).labelledRows());
    }
}
