package dev.mvkt.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTest {

    @Test
    void leadNamesParseCaseInsensitively() {
        assertEquals(Lead.AVR, Lead.parse("aVR"));
        assertEquals(Lead.AVR, Lead.parse("AVR"));
        assertEquals(Lead.V6, Lead.parse(" v6 "));
        assertEquals("aVL", Lead.AVL.label());
        var e = assertThrows(IllegalArgumentException.class, () -> Lead.parse("V7"));
        assertTrue(e.getMessage().contains("'V7'"), e.getMessage());
        assertEquals(12, Lead.STANDARD_12.size());
    }

    @Test
    void labelSetRefusesDuplicatesAndBlanksNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelSet.of("A", "B", "A")).getMessage()
                .contains("'A' at index 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelSet.of("A", " ")).getMessage()
                .contains("index 1"));
        assertEquals(1, LabelSet.of("A", "B").indexOf("B"));
    }

    @Test
    void recordRefusesRaggedSignalsNamingTheLead() {
        var e = assertThrows(IllegalArgumentException.class, () -> new EcgRecord("r1",
                new float[][]{new float[10], new float[9]}, 100, List.of(Lead.I, Lead.II), new float[]{1}));
        assertTrue(e.getMessage().contains("r1") && e.getMessage().contains("lead II"), e.getMessage());
    }

    @Test
    void provenanceFlattensNestedMapsIntoDottedKeys() {
        Provenance p = Provenance.builder().put("loss", Map.of("mkd", Map.of("weight", 1.0))).put("seed", 3).build();
        assertEquals("1.0", p.get("loss.mkd.weight"));
        assertEquals("1.0", p.section("loss").get("mkd.weight"));
        assertEquals("3", p.get("seed"));
    }

    @Test
    void diagnosisListsFindingsMostProbableFirst() {
        Diagnosis d = new Diagnosis(LabelSet.of("A", "B", "C"), new double[]{0.6, 0.9, 0.1},
                new double[]{0.5, 0.5, 0.5});
        assertEquals(List.of("B", "A"), d.findings());
        assertEquals(0.9, d.probability("B"));
    }

    @Test
    void weightsComposeAndMustBeNonNegative() {
        LossTerm half = new Constant("c", 2.0).weight(0.5);
        LossTerm sum = half.plus(new Constant("d", 3.0));
        LossValue v = sum.compute(LossInputs.of(new double[][]{{0}}, new double[][]{{1}}));
        assertEquals(0.5 * 2 + 3, v.value());
        assertEquals(0.5 + 1, v.dStudentLogits()[0][0]);
        assertEquals("0.5·c + d", sum.name());
        assertThrows(IllegalArgumentException.class, () -> new Constant("c", 1).weight(-1));
    }

    /** L = k regardless of input, dL/dlogit = 1 everywhere. */
    private record Constant(String name, double k) implements LossTerm {
        @Override
        public LossValue compute(LossInputs in) {
            return LossValue.ofLogits(name, k, new double[][]{{1}});
        }

        @Override
        public Map<String, Object> config() {
            return Map.of("k", k);
        }
    }
}
