package dev.mvkt.losses;

import dev.mvkt.api.LossContext;
import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.mvkt.losses.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class LossCompositionTest {
    private static final int N = 30;
    private static final int C = 5;
    private static final int D = 8;

    private static LossInputs batch(Random r, int b) {
        return new LossInputs(TestSupport.gaussian(r, b, C, 3), TestSupport.multiHot(r, b, C),
                TestSupport.gaussian(r, b, C, 3), TestSupport.gaussian(r, b, D, 1), TestSupport.gaussian(r, b, D, 1),
                TestSupport.indices(r, b, N));
    }

    @Test
    void weightedSumEqualsTheSumOfItsTerms() {
        qt().withExamples(40).forAll(longs().all(), integers().between(1, 6)).check((seed, b) -> {
            Random r = new Random(seed);
            LossTerm bce = Losses.bce();
            LossTerm mkd = Losses.mkd(1.5);
            CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(6).build();
            LossTerm total = bce.plus(mkd.weight(1.0)).plus(clt.weight(0.8));
            total.prepare(TestSupport.context(r, N, C, seed));
            LossInputs in = batch(r, b);
            LossValue sum = total.compute(in);
            LossValue vb = bce.compute(in);
            LossValue vm = mkd.compute(in);
            LossValue vc = clt.compute(in);
            double expected = vb.value() + vm.value() + 0.8 * vc.value();
            if (Math.abs(sum.value() - expected) > 1e-12 * Math.max(1, expected)) {
                return false;
            }
            double[][] dLogits = new double[b][C];
            double[][] dS = new double[b][D];
            double[][] dT = new double[b][D];
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < C; k++) {
                    dLogits[i][k] = vb.dStudentLogits()[i][k] + vm.dStudentLogits()[i][k];
                }
                for (int k = 0; k < D; k++) {
                    dS[i][k] = 0.8 * vc.dStudentEmbedding()[i][k];
                    dT[i][k] = 0.8 * vc.dTeacherEmbedding()[i][k];
                }
            }
            assertClose(dLogits, sum.dStudentLogits(), 1e-14, "dStudentLogits");
            assertClose(dS, sum.dStudentEmbedding(), 1e-14, "dStudentEmbedding");
            assertClose(dT, sum.dTeacherEmbedding(), 1e-14, "dTeacherEmbedding");
            return sum.parts().equals(Map.of("bce", vb.value(), "mkd", vm.value(), "clt", vc.value()));
        });
    }

    @Test
    void weightedSumGradientMatchesFiniteDifferences() {
        Random r = new Random(17);
        CltLoss clt = CltLoss.builder().optEmbeddingDim(D).optNegatives(6).build();
        LossTerm total = Losses.bce().plus(Losses.mkd(1.5).weight(1.0)).plus(clt.weight(0.8));
        total.prepare(TestSupport.context(r, N, C, 17));
        LossInputs in = batch(r, 3);
        LossValue v = total.compute(in);
        TestSupport.checkGradient("sum dStudentLogits", in.studentLogits(), v.dStudentLogits(),
                x -> total.compute(in).value());
        TestSupport.checkGradient("sum dStudentEmbedding", in.studentEmbedding(), v.dStudentEmbedding(),
                x -> total.compute(in).value());
        TestSupport.checkGradient("sum dTeacherEmbedding", in.teacherEmbedding(), v.dTeacherEmbedding(),
                x -> total.compute(in).value());
    }

    @Test
    void prepareAndAfterStepReachEveryTerm() {
        Random r = new Random(3);
        CltLoss inSum = CltLoss.builder().optEmbeddingDim(D).optNegatives(6).build();
        CltLoss alone = CltLoss.builder().optEmbeddingDim(D).optNegatives(6).build();
        LossTerm total = Losses.bce().plus(Losses.mkd().weight(1.0)).plus(inSum.weight(0.8));
        LossContext ctx = TestSupport.context(r, N, C, 3);
        total.prepare(ctx);
        alone.prepare(ctx);
        assertArrayEquals(alone.studentBank().row(7), inSum.studentBank().row(7));
        LossInputs in = batch(r, 4);
        total.afterStep(in);
        alone.afterStep(in);
        assertEquals(1, inSum.step());
        for (int j = 0; j < N; j++) {
            assertArrayEquals(alone.studentBank().row(j), inSum.studentBank().row(j));
            assertArrayEquals(alone.teacherBank().row(j), inSum.teacherBank().row(j));
        }
        assertEquals(alone.compute(in).value(), inSum.compute(in).value());
    }

    @Test
    void sumReportsTeacherNeedHeadSizeAndConfig() {
        LossTerm stage1 = Losses.bce();
        assertFalse(stage1.needsTeacher());
        assertEquals(0, stage1.embeddingDim());
        LossTerm stage2 = Losses.bce().plus(Losses.mkd(1.5).weight(1.0)).plus(Losses.clt().weight(0.8));
        assertTrue(stage2.needsTeacher());
        assertEquals(128, stage2.embeddingDim());
        List<LossTerm.WeightedTerm> terms = stage2.terms();
        assertEquals(List.of(1.0, 1.0, 0.8), terms.stream().map(LossTerm.WeightedTerm::weight).toList());
        assertEquals("bce + mkd + 0.8·clt", stage2.name());
        @SuppressWarnings("unchecked")
        Map<String, Object> clt = (Map<String, Object>) stage2.config().get("clt");
        assertEquals(0.8, clt.get("weight"));
        assertEquals(1024, clt.get("negatives"));
        @SuppressWarnings("unchecked")
        Map<String, Object> mkd = (Map<String, Object>) stage2.config().get("mkd");
        assertEquals("PAPER", mkd.get("form"));
        assertEquals(1.5, mkd.get("temperature"));
    }

    @Test
    void logitOnlySumHasNoEmbeddingGradient() {
        Random r = new Random(2);
        LossTerm total = Losses.bce().plus(Losses.mkd(MkdForm.OFFICIAL_CODE).weight(2.0));
        LossInputs in = new LossInputs(TestSupport.gaussian(r, 3, C, 2), TestSupport.multiHot(r, 3, C),
                TestSupport.gaussian(r, 3, C, 2), null, null, null);
        LossValue v = total.compute(in);
        assertNull(v.dStudentEmbedding());
        assertNull(v.dTeacherEmbedding());
        double expected = Losses.bce().compute(in).value() + 2 * Losses.mkd(MkdForm.OFFICIAL_CODE).compute(in).value();
        assertEquals(expected, v.value(), 1e-14);
    }
}
