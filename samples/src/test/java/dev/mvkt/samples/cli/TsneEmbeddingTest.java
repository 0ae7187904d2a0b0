package dev.mvkt.samples.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TsneEmbeddingTest {
    @Test
    void separatedClustersStaySeparatedAndTheLayoutIsSeeded() {
        Random r = new Random(0);
        int n = 60;
        double[][] x = new double[n][10];
        String[] g = new String[n];
        for (int i = 0; i < n; i++) {
            g[i] = i < n / 2 ? "a" : "b";
            for (int j = 0; j < 10; j++) {
                x[i][j] = r.nextGaussian() + (i < n / 2 ? 0 : 8);
            }
        }
        double[][] y = TsneEmbedding.embed(x, 10, 300, 5);
        assertEquals(n, y.length);
        assertEquals(2, y[0].length);
        assertTrue(TsneEmbedding.neighbourAgreement(y, g, 5) > 0.95);
        assertArrayEquals(y[7], TsneEmbedding.embed(x, 10, 300, 5)[7], 1e-9);
    }

    @Test
    void groupsNameSingleClassesAndMixtures() {
        float[][] l = {{1, 0}, {0, 1}, {1, 1}, {0, 0}};
        assertArrayEquals(new String[]{"A", "B", TsneEmbedding.SEVERAL, TsneEmbedding.NONE},
                TsneEmbedding.groups(l, List.of("A", "B"), 4));
    }
}
