package dev.mvkt.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResampleTest {

    private static float[] sine(double hz, double fs, double seconds, double offset) {
        float[] x = new float[(int) Math.round(fs * seconds)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (offset + Math.sin(2 * Math.PI * hz * i / fs));
        }
        return x;
    }

    @Test
    void inBandSineSurvivesDownAndUpsampling() {
        for (double[] rates : new double[][]{{500, 100}, {250, 100}, {100, 500}, {128, 100}}) {
            float[] x = sine(5, rates[0], 10, 0.3);
            float[] y = Resample.resample(x, rates[0], rates[1]);
            float[] expected = sine(5, rates[1], 10, 0.3);
            assertEquals(expected.length, y.length);
            double maxErr = 0;
            for (int i = 50; i < y.length - 50; i++) { // edges are windowed
                maxErr = Math.max(maxErr, Math.abs(y[i] - expected[i]));
            }
            assertTrue(maxErr < 0.01, rates[0] + "->" + rates[1] + " max error " + maxErr);
        }
    }

    @Test
    void aboveNyquistToneIsRemovedWhenDownsampling() {
        float[] x = sine(80, 500, 10, 0); // 80 Hz would alias to 20 Hz at 100 Hz
        float[] y = Resample.resample(x, 500, 100);
        double rms = 0;
        for (int i = 50; i < y.length - 50; i++) {
            rms += y[i] * y[i];
        }
        rms = Math.sqrt(rms / (y.length - 100));
        assertTrue(rms < 0.02, "aliased energy " + rms);
    }

    @Test
    void constantStaysConstantIncludingEdges() {
        float[] x = new float[333];
        java.util.Arrays.fill(x, 1.25f);
        for (float v : Resample.resample(x, 333, 100)) {
            assertEquals(1.25, v, 1e-5);
        }
    }
}
