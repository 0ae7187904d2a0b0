package dev.mvkt.samples;

import dev.mvkt.backbones.Backbones;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bench's line on a tiny backbone: every column present, every time positive (no speed asserted). */
class BenchTest {

    @Test
    void benchTimesTheTrainersStepsOnATinyBackbone() {
        String line = Bench.bench(Backbones.resnet1dWangBuilder().optWidth(2).build(), 1, 0);
        String[] cols = line.trim().split("\\s+");
        assertEquals(16, cols.length, line);
        assertEquals("resnet1d_wang", cols[0]);
        for (int i = 2; i <= 11; i++) {
            double v = Double.parseDouble(cols[i].replace(",", ""));
            // Times and ratios are positive; the GFLOP/s of a 2-channel network may round to 0.
            assertTrue((i >= 10 ? v >= 0 : v > 0) && Double.isFinite(v), "column " + i + " of " + line);
        }
        // The engine's layer counts, "installed/all": oneDNN convolutions, fast batch norm, pooling, ReLU.
        for (int i = 12; i <= 15; i++) {
            String[] ab = cols[i].split("/");
            assertEquals(2, ab.length, "column " + i + " of " + line);
            assertTrue(Integer.parseInt(ab[0]) <= Integer.parseInt(ab[1]), "column " + i + " of " + line);
        }
    }
}
