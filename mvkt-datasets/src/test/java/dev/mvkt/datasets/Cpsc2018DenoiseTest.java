package dev.mvkt.datasets;

import dev.mvkt.api.EcgRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link Cpsc2018.Builder#optDenoise}: where it sits in the pipeline, and that it is part of the cache key. */
class Cpsc2018DenoiseTest {
    @TempDir
    Path tmp;

    /**
     * A CPSC2018-style record of n samples, lead l: offset 0.5 + 0.1 l mV, 0.2 Hz wander, 8 Hz wave, 150 Hz buzz,
     * noise.
     */
    static float[][] writeRecord(Path file, int n, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        Matrix data = Mat5.newMatrix(12, n);
        float[][] x = new float[12][n];
        for (int l = 0; l < 12; l++) {
            double offset = 0.5 + 0.1 * l;
            for (int i = 0; i < n; i++) {
                double t = i / 500.0;
                double v = offset + 0.3 * Math.sin(2 * Math.PI * 0.2 * t) + Math.sin(2 * Math.PI * 8 * t + l)
                        + 0.2 * Math.sin(2 * Math.PI * 150 * t) + 0.05 * r.nextGaussian();
                data.setDouble(l, i, v);
                x[l][i] = (float) v;
            }
        }
        MatFile mat = Mat5.newMatFile().addArray("ECG", Mat5.newStruct().set("sex", Mat5.newString("Female"))
                .set("age", Mat5.newScalar(50)).set("data", data));
        Mat5.writeToFile(mat, file.toFile());
        return x;
    }

    private Path splitDir(String train, String val, String test) throws IOException {
        Path split = tmp.resolve("split");
        Files.createDirectories(split);
        Files.writeString(split.resolve("TRAIN_reference.csv"), Cpsc2018Test.HEADER + train);
        Files.writeString(split.resolve("VAL_reference.csv"), Cpsc2018Test.HEADER + val);
        Files.writeString(split.resolve("TEST_reference.csv"), Cpsc2018Test.HEADER + test);
        return split;
    }

    @Test
    void denoisingRunsOnTheWholeRecordBeforeTheCropAndIsPartOfTheCacheKey() throws IOException {
        // 7001 samples: odd (pywt's extra sample is dropped) and longer than the 5000 kept (centre crop).
        float[][] longRec = writeRecord(tmp.resolve("A0001.mat"), 7001, 1);
        // 3001 samples: shorter than 5632, so level 9 is past pywt's dwt_max_level, and tiled to 5000.
        float[][] shortRec = writeRecord(tmp.resolve("A0002.mat"), 3001, 2);
        writeRecord(tmp.resolve("A0003.mat"), 5000, 3);
        Path split = splitDir("A0001,1,,\nA0002,2,,\n", "A0003,3,,\n", "A0002,4,,\n");
        Path cache = tmp.resolve("cache");
        Cpsc2018 raw = Cpsc2018.builder().setRoot(tmp).optSplitDir(split).optLength(5000).optCacheDir(cache).build();
        Cpsc2018 den = Cpsc2018.builder().setRoot(tmp).optSplitDir(split).optLength(5000).optDenoise(true)
                .optCacheDir(cache).build();

        assertFalse(raw.identity().contains("db6"), raw.identity());
        assertTrue(den.identity().contains(Cpsc2018.DENOISE_IDENTITY + ", centre-crop/tile"), den.identity());
        assertNotEquals(raw.cacheFile(), den.cacheFile(), "a denoised and a raw load never share a cache file");
        try (var files = Files.list(cache)) {
            assertEquals(2, files.filter(f -> f.toString().endsWith(".mvktcache")).count());
        }

        for (int l = 0; l < 12; l++) {
            float[] expected = Signals.fixLength(Wavelet.denoise(longRec[l]), 5000);
            assertArrayEquals(expected, den.train().record(0).signal()[l], "lead " + l + ": denoise, then crop");
            assertArrayEquals(Signals.fixLength(longRec[l], 5000), raw.train().record(0).signal()[l]);
            assertArrayEquals(Signals.fixLength(Wavelet.denoise(shortRec[l]), 5000),
                    den.train().record(1).signal()[l], "lead " + l + ": denoise, then tile");
        }
        // The order matters: denoising the 5000 cropped samples gives something else, near the edges mostly.
        float[] cropFirst = Wavelet.denoise(Signals.fixLength(longRec[0], 5000));
        float[] loaded = den.train().record(0).signal()[0];
        assertTrue(maxAbsDiff(cropFirst, loaded) > 1e-3, "crop-then-denoise differs from the loader's order");
        // Tiling after denoising: the tiled copy repeats the denoised record exactly, period n (no extra sample).
        float[] tiled = den.train().record(1).signal()[5];
        assertEquals(tiled[0], tiled[3001]);
        assertEquals(tiled[1234], tiled[1234 + 3001]);

        // The denoised signal lost the offset, the wander and the buzz, and kept the 8 Hz wave.
        float[] rawLead = raw.train().record(0).signal()[0];
        double rawMean = Arrays.stream(toDouble(rawLead)).average().orElseThrow();
        double mean = Arrays.stream(toDouble(loaded)).average().orElseThrow();
        assertEquals(0.5, rawMean, 0.05, "raw lead I keeps its 0.5 mV offset");
        assertEquals(0, mean, 0.02, "denoised lead I lost it");
        double[] wave = new double[5000];
        int start = (7001 - 5000) / 2;
        for (int i = 0; i < 5000; i++) {
            wave[i] = Math.sin(2 * Math.PI * 8 * (start + i) / 500.0);
        }
        double err = 0;
        double ref = 0;
        for (int i = 0; i < 5000; i++) {
            err += Math.pow(loaded[i] - wave[i], 2);
            ref += wave[i] * wave[i];
        }
        assertTrue(err < 0.01 * ref, "8 Hz kept, relative squared error " + err / ref);

        // 100 Hz: denoise at 500 Hz, crop, then low-pass and decimate.
        Cpsc2018 den100 = Cpsc2018.builder().setRoot(tmp).optSplitDir(split).optLength(5000).optDenoise(true)
                .optSamplingRate(100).optCacheDir(cache).build();
        assertArrayEquals(Signals.decimate(Signals.fixLength(Wavelet.denoise(longRec[7]), 5000), 5),
                den100.train().record(0).signal()[7]);
        assertNotEquals(den.identity(), den100.identity());

        // A second load of each finds its own cache again.
        Cpsc2018 rawAgain = Cpsc2018.builder().setRoot(tmp).optSplitDir(split).optLength(5000).optCacheDir(cache)
                .build();
        assertEquals(raw.cacheFile(), rawAgain.cacheFile());
        assertArrayEquals(rawLead, rawAgain.train().record(0).signal()[0]);
        Cpsc2018 denAgain = Cpsc2018.builder().setRoot(tmp).optSplitDir(split).optLength(5000).optDenoise(true)
                .optCacheDir(cache).build();
        assertEquals(den.cacheFile(), denAgain.cacheFile());
        assertArrayEquals(loaded, denAgain.train().record(0).signal()[0]);
        assertEquals(den.identity(), Cpsc2018.builder().setRoot(tmp).optSplitDir(split).optLength(5000)
                .optDenoise(false).optDenoise(true).optCacheDir(cache).build().identity());
    }

    @Test
    void realRecordsDenoiseAsTheWaveletDoesAndLoseTheirHighBand() throws IOException {
        Path data = Fixtures.sharedData();
        assumeTrue(data != null, Fixtures.SKIP);
        Path dir = data.resolve("ecg-samples/cpsc2018");
        // A1980 and A1982 have 5000 samples (level 9 past pywt's dwt_max_level); A1981, A1983, A1984 7500-9500.
        Path split = splitDir("A1980,6,,\nA1981,8,,\nA1982,3,,\n", "A1983,1,,\n", "A1984,8,,\n");
        Cpsc2018 den = Cpsc2018.builder().setRoot(dir).optSplitDir(split).optDenoise(true)
                .optCacheDir(tmp.resolve("c")).build();
        Cpsc2018 raw = Cpsc2018.builder().setRoot(dir).optSplitDir(split).optCacheDir(tmp.resolve("c")).build();
        assertNotEquals(raw.cacheFile(), den.cacheFile());
        for (int k = 0; k < 3; k++) {
            EcgRecord r = den.train().record(k);
            float[][] x = Cpsc2018.readMat(dir.resolve(r.id() + ".mat"));
            assertArrayEquals(Signals.fixLength(x[4], 10000), raw.train().record(k).signal()[4]);
            for (int l = 0; l < 12; l++) {
                float[] whole = Wavelet.denoise(x[l]);
                assertArrayEquals(Signals.fixLength(whole, 10000), r.signal()[l], r.id() + " lead " + l);
                // Decomposed again (whole records, before tiling): 62.5-250 Hz mostly gone, 0.5-62.5 Hz kept.
                double[][] before = Wavelet.DB6.wavedec(toDouble(x[l]), 9);
                double[][] after = Wavelet.DB6.wavedec(toDouble(whole), 9);
                double high = (energy(after[9]) + energy(after[8])) / (energy(before[9]) + energy(before[8]));
                double midBefore = 0;
                double midAfter = 0;
                for (int b = 1; b <= 7; b++) {
                    midBefore += energy(before[b]);
                    midAfter += energy(after[b]);
                }
                String where = r.id() + " lead " + l + " (" + x[l].length + " samples)";
                assertTrue(high < 0.5, where + ": cD1+cD2 energy kept " + high);
                assertEquals(1, midAfter / midBefore, 0.1, where + ": cD3..cD9 energy kept");
                double max = 0;
                for (float v : r.signal()[l]) {
                    max = Math.max(max, Math.abs(v));
                }
                assertTrue(max > 0.02 && max < 20, r.id() + " lead " + l + ": still mV, max |x| = " + max);
            }
        }
    }

    private static double energy(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return s;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
