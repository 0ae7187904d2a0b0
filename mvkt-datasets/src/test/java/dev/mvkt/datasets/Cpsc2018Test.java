package dev.mvkt.datasets;

import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class Cpsc2018Test {
    @TempDir
    Path tmp;

    static final String HEADER = "Recording,First_label,Second_label,Third_label\n";

    /** A CPSC2018-style MAT v5 record: struct ECG {sex, age, data 12 x n}, data(l, i) = l + i / 1000, last sample = poison when given. */
    static void writeMat(Path file, int rows, int n, Double poison) throws IOException {
        Matrix data = Mat5.newMatrix(rows, n);
        for (int l = 0; l < rows; l++) {
            for (int i = 0; i < n; i++) {
                data.setDouble(l, i, l + i / 1000.0);
            }
        }
        if (poison != null) {
            data.setDouble(rows - 1, n - 1, poison);
        }
        MatFile mat = Mat5.newMatFile().addArray("ECG", Mat5.newStruct().set("sex", Mat5.newString("Male"))
                .set("age", Mat5.newScalar(60)).set("data", data));
        Mat5.writeToFile(mat, file.toFile());
    }

    @Test
    void realRecordsReadAsTwelveLeadMillivolts() throws IOException {
        Path data = Fixtures.sharedData();
        assumeTrue(data != null, Fixtures.SKIP);
        Path dir = data.resolve("ecg-samples/cpsc2018");
        float[][] x = Cpsc2018.readMat(dir.resolve("A1980.mat"));
        assertEquals(12, x.length);
        assertTrue(x[0].length >= 3000 && x[0].length <= 60000, "length " + x[0].length);
        double max = 0;
        for (float[] l : x) {
            for (float v : l) {
                max = Math.max(max, Math.abs(v));
            }
        }
        assertTrue(max > 0.1 && max < 20, "amplitudes are mV, max |x| = " + max);
        Map<String, Cpsc2018.Reference> ref = Cpsc2018.readReference(dir.resolve("REFERENCE.csv"));
        assertEquals(5, ref.size());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 0, 0}, ref.get("A1980").labels());
    }

    @Test
    void realOfficialSplitCsvsParse() throws IOException {
        Path data = Fixtures.sharedData();
        assumeTrue(data != null, Fixtures.SKIP);
        Path split = data.resolve("cpsc2018-split");
        int train = Cpsc2018.readReference(split.resolve("TRAIN_reference.csv")).size();
        int val = Cpsc2018.readReference(split.resolve("VAL_reference.csv")).size();
        int test = Cpsc2018.readReference(split.resolve("TEST_reference.csv")).size();
        // The split files list 6876 of CPSC2018's 6877 records: 5501 / 688 / 687.
        assertEquals(5501, train);
        assertEquals(688, val);
        assertEquals(687, test);
        // "A0374,2,5,": AF and RBBB.
        assertArrayEquals(new float[] {0, 1, 0, 0, 1, 0, 0, 0, 0},
                Cpsc2018.readReference(split.resolve("TRAIN_reference.csv")).get("A0374").labels());
    }

    @Test
    void realRecordsLoadThroughASplitDirectoryAtFixedLength() throws IOException {
        Path data = Fixtures.sharedData();
        assumeTrue(data != null, Fixtures.SKIP);
        Path dir = data.resolve("ecg-samples/cpsc2018");
        Path split = tmp.resolve("split");
        Files.createDirectories(split);
        Files.writeString(split.resolve("TRAIN_reference.csv"), HEADER + "A1980,6,,\nA1981,8,,\nA1982,3,,\n");
        Files.writeString(split.resolve("VAL_reference.csv"), HEADER + "A1983,1,,\n");
        Files.writeString(split.resolve("TEST_reference.csv"), HEADER + "A1984,8,,\n");
        Cpsc2018 ds = Cpsc2018.builder().setRoot(dir).optSplitDir(split).optCacheDir(tmp.resolve("c")).build();
        assertEquals(3, ds.train().size());
        assertEquals(10000, ds.train().length());
        EcgRecord r = ds.train().record(0);
        float[][] raw = Cpsc2018.readMat(dir.resolve("A1980.mat"));
        assertArrayEquals(Signals.fixLength(raw[7], 10000), r.signal()[7]);
        assertEquals(Cpsc2018.LABELS, ds.labels());

        Cpsc2018 low = Cpsc2018.builder().setRoot(dir).optSplitDir(split).optSamplingRate(100)
                .optCacheDir(tmp.resolve("c")).build();
        assertEquals(2000, low.test().length());
        assertEquals(100.0, low.test().samplingRate());
    }

    @Test
    void centreCropAndTileFollowThePapersCode() {
        float[] x = {0, 1, 2, 3, 4, 5, 6};
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, Signals.fixLength(x, 5));
        assertArrayEquals(new float[] {2, 3, 4}, Signals.fixLength(x, 3));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1}, Signals.fixLength(x, 16));
        float[] flat = new float[50];
        java.util.Arrays.fill(flat, 2f);
        float[] d = Signals.decimate(flat, 5);
        assertEquals(10, d.length);
        for (float v : d) {
            assertEquals(2f, v, 1e-5, "a low-pass keeps DC");
        }
    }

    @Test
    void generatedRecordsSplitIntoStratifiedFolds() throws IOException {
        StringBuilder ref = new StringBuilder(HEADER);
        for (int i = 1; i <= 40; i++) {
            String id = String.format("A%04d", i);
            writeMat(tmp.resolve(id + ".mat"), 12, 3000 + 100 * i, null);
            ref.append(id).append(',').append(1 + i % 9).append(i % 5 == 0 ? ",2," : ",,").append('\n');
        }
        Files.writeString(tmp.resolve("REFERENCE.csv"), ref);
        Cpsc2018 ds = Cpsc2018.builder().setRoot(tmp).optLength(5000).optCacheDir(tmp.resolve("c")).build();
        assertEquals(40, ds.train().size() + ds.val().size() + ds.test().size());
        assertTrue(ds.val().size() >= 3 && ds.test().size() >= 3, ds.identity());
        EcgRecord r = ds.train().record(0);
        assertEquals(5000, r.samples());
        // Shorter than 5000: tiled, so sample n (>= length) equals sample n - length.
        int n = Integer.parseInt(r.id().substring(1));
        int len = 3000 + 100 * n;
        assertEquals(r.signal()[3][0], r.signal()[3][len], 1e-6);
        assertEquals(3 + 0.001f, r.signal()[3][1], 1e-6);
        Cpsc2018 again = Cpsc2018.builder().setRoot(tmp).optLength(5000).optSeed(0).optCacheDir(tmp.resolve("c"))
                .build();
        assertEquals(ds.train().record(5).id(), again.train().record(5).id(), "folds are seeded");
    }

    @Test
    void theFirstListedLabelIsKeptThroughTheCache() throws IOException {
        // "A1041,4,2" in the real REFERENCE.csv: LBBB (4) listed before AF (2). The first label is LBBB, index 3, not
        // the lowest positive class (AF, index 1).
        StringBuilder ref = new StringBuilder(HEADER);
        for (int i = 1; i <= 30; i++) {
            String id = String.format("A%04d", i);
            writeMat(tmp.resolve(id + ".mat"), 12, 5000, null);
            ref.append(id).append(i % 3 == 0 ? ",4,2,\n" : i % 3 == 1 ? ",2,4,\n" : "," + (1 + i % 9) + ",,\n");
        }
        Files.writeString(tmp.resolve("REFERENCE.csv"), ref);
        Map<String, Cpsc2018.Reference> refs = Cpsc2018.readReference(tmp.resolve("REFERENCE.csv"));
        assertEquals(3, refs.get("A0003").firstLabel());
        assertEquals(1, refs.get("A0004").firstLabel());
        for (int build = 0; build < 2; build++) { // the first builds the cache, the second reads it back
            Cpsc2018 ds = Cpsc2018.builder().setRoot(tmp).optLength(5000).optCacheDir(tmp.resolve("c")).build();
            int checked = 0;
            for (Split s : new Split[] {ds.train(), ds.val(), ds.test()}) {
                for (int i = 0; i < s.size(); i++) {
                    int n = Integer.parseInt(s.record(i).id().substring(1));
                    float[] y = s.labels(i);
                    if (n % 3 == 0) {
                        assertEquals(1, y[1]);
                        assertEquals(1, y[3]);
                        assertEquals(3, s.firstLabel(i), "record " + n + ": LBBB listed first");
                        checked++;
                    } else if (n % 3 == 1) {
                        assertEquals(1, s.firstLabel(i), "record " + n + ": AF listed first");
                    } else {
                        assertEquals(n % 9, s.firstLabel(i), "record " + n);
                    }
                }
            }
            assertEquals(10, checked);
        }
    }

    @Test
    void matWithoutTheEcgStructIsRefused() throws IOException {
        Path f = tmp.resolve("A0001.mat");
        Mat5.writeToFile(Mat5.newMatFile().addArray("val", Mat5.newMatrix(12, 10)), f.toFile());
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(f));
        assertTrue(e.getMessage().contains("no variable 'ECG'") && e.getMessage().contains("[val]"), e.getMessage());
        Files.writeString(f, "not a mat file at all, just text that is long enough to have a header........"
                + "...........................................................................................");
        EcgFormatException garbage = assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(f));
        assertTrue(garbage.getMessage().contains("MATLAB v5"), garbage.getMessage());
    }

    @Test
    void wrongLeadCountAndNaNAreRefused() throws IOException {
        Path f = tmp.resolve("A0002.mat");
        writeMat(f, 8, 100, null);
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(f));
        assertTrue(e.getMessage().contains("8 x 100") && e.getMessage().contains("expected 12 leads"),
                e.getMessage());
        writeMat(f, 12, 100, Double.POSITIVE_INFINITY);
        EcgFormatException inf = assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(f));
        assertTrue(inf.getMessage().contains("lead V6, sample 99"), inf.getMessage());
    }

    @Test
    void badReferenceRowsAndMissingRecordsAreRefused() throws IOException {
        Files.writeString(tmp.resolve("REFERENCE.csv"), HEADER + "A0001,1,,\nA0002,3,12,\n");
        EcgFormatException e = assertThrows(EcgFormatException.class,
                () -> Cpsc2018.readReference(tmp.resolve("REFERENCE.csv")));
        assertTrue(e.getMessage().contains("line 3, field Second_label") && e.getMessage().contains("'12'"),
                e.getMessage());
        Files.writeString(tmp.resolve("REFERENCE.csv"), HEADER + "A0001,1,,\n");
        EcgFormatException missing = assertThrows(EcgFormatException.class,
                () -> Cpsc2018.builder().setRoot(tmp).optCacheDir(tmp.resolve("c")).build());
        assertTrue(missing.getMessage().contains("line 2, field Recording")
                && missing.getMessage().contains("A0001.mat not found"), missing.getMessage());
    }
}
