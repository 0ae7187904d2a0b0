package dev.mvkt.datasets;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FoldsTest {
    @Test
    void foldsAreBalancedPerClassAndSeeded() {
        SplittableRandom r = new SplittableRandom(3);
        float[][] y = new float[1000][4];
        int[] positives = new int[4];
        for (float[] row : y) {
            for (int c = 0; c < 4; c++) {
                if (r.nextDouble() < 0.05 + 0.15 * c) {
                    row[c] = 1;
                    positives[c]++;
                }
            }
        }
        int[] folds = Folds.assign(y, 7);
        int[] size = new int[11];
        int[][] perClass = new int[11][4];
        for (int i = 0; i < folds.length; i++) {
            size[folds[i]]++;
            for (int c = 0; c < 4; c++) {
                perClass[folds[i]][c] += (int) y[i][c];
            }
        }
        for (int f = 1; f <= 10; f++) {
            assertTrue(Math.abs(size[f] - 100) <= 3, "fold " + f + " has " + size[f]);
            for (int c = 0; c < 4; c++) {
                assertTrue(Math.abs(perClass[f][c] - positives[c] / 10.0) <= 1.5,
                        "fold " + f + " class " + c + ": " + perClass[f][c] + " of " + positives[c]);
            }
        }
        assertArrayEquals(folds, Folds.assign(y, 7));
        assertEquals(dev.mvkt.api.SplitName.VAL, Folds.split(9));
        // Pinned from the ten-fold code before it became Folds.stratify with weights: seeded CPSC/CinC folds (and
        // their caches) must not move.
        assertArrayEquals(new int[] {3, 6, 1, 4, 6, 10, 7, 4, 3, 4, 6, 2, 3, 10, 6, 9, 5, 2, 4, 9},
                java.util.Arrays.copyOf(folds, 20));
        assertEquals(-1122947821, java.util.Arrays.hashCode(folds));
    }
}
