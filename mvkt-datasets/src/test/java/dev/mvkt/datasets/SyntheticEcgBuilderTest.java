package dev.mvkt.datasets;

import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticEcgBuilderTest {

    private static String rejects(UnaryOperator<SyntheticEcg.Builder> settings) {
        return assertThrows(IllegalArgumentException.class,
                () -> settings.apply(SyntheticEcg.builder().optSizes(1, 1, 1)).build()).getMessage();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        SyntheticEcg ds = SyntheticEcg.builder().optSizes(1, 1, 1).build();
        assertEquals(0, ds.seed());
        assertEquals(SyntheticEcg.DEFAULT_DIFFICULTY, ds.difficulty());
        assertEquals(100.0, ds.train().samplingRate());
        assertEquals(1000, ds.train().length());
        assertTrue(ds.identity().contains("sizes=1/1/1"));
    }

    @Test
    void badSamplingRateIsNamed() {
        assertTrue(rejects(b -> b.optSamplingRate(0)).contains("sampling rate"));
        assertTrue(rejects(b -> b.optSamplingRate(-100)).contains("-100.0"));
        assertTrue(rejects(b -> b.optSamplingRate(Double.NaN)).contains("NaN"));
        assertTrue(rejects(b -> b.optSamplingRate(Double.POSITIVE_INFINITY)).contains("sampling rate"));
    }

    @Test
    void badDurationIsNamed() {
        assertTrue(rejects(b -> b.optDurationSeconds(0)).contains("duration"));
        assertTrue(rejects(b -> b.optDurationSeconds(Double.NaN)).contains("NaN"));
        assertTrue(rejects(b -> b.optDurationSeconds(0.001)).contains("samples"));
    }

    @Test
    void badSizesAreNamedBySplit() {
        assertTrue(rejects(b -> b.optSizes(0, 1, 1)).contains("train size"));
        assertTrue(rejects(b -> b.optSizes(1, -2, 1)).contains("val size must be at least 1, was -2"));
        assertTrue(rejects(b -> b.optSizes(1, 1, 0)).contains("test size"));
        assertTrue(rejects(b -> b.optSizes(1_000_000, 1, 1).optSamplingRate(500)).contains("MiB"));
    }

    @Test
    void badDifficultyIsNamed() {
        assertTrue(rejects(b -> b.optDifficulty(-0.1)).contains("difficulty must be in [0, 1], was -0.1"));
        assertTrue(rejects(b -> b.optDifficulty(1.5)).contains("1.5"));
        assertTrue(rejects(b -> b.optDifficulty(Double.NaN)).contains("NaN"));
    }

    @Test
    void difficultyBoundsAreAccepted() {
        assertEquals(0.0, SyntheticEcg.builder().optSizes(1, 1, 1).optDifficulty(0).build().difficulty());
        assertEquals(1.0, SyntheticEcg.builder().optSizes(1, 1, 1).optDifficulty(1).build().difficulty());
    }
}
