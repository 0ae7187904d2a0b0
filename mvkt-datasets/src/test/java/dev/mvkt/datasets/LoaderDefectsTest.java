package dev.mvkt.datasets;

import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Struct;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One test per loader defect found by the fuzzing pass (issue 16), each on the smallest input that showed it. The
 * hang cases run in a separate thread under a timeout, so that a regression fails instead of stalling the build.
 */
class LoaderDefectsTest {
    @TempDir
    Path tmp;

    /** A CinC-style 12-lead format-16 record with checksums and an AF label, in {@code dir}. */
    static Path cincRecord(Path dir, String name, double fs, short[][] d) throws IOException {
        Path hea = Fixtures.writeWfdb16(dir, name, fs, d, Fixtures.leadLabels(), 1000, "mV", 0);
        Files.writeString(hea, Files.readString(hea) + "# Dx: 164889003\n");
        return hea;
    }

    private Cinc cinc(Path root) throws IOException {
        return Cinc.builder().setRoot(root).optLength(1000).optCacheDir(tmp.resolve("cache")).build();
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
        }
    }

    // 1. Records that resampling leaves empty: refused by name, never an endless tiling loop.

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void recordsThatResamplingLeavesEmptyAreRefusedInsteadOfHanging() throws IOException {
        // One frame at 1000 Hz (the fuzzer's "HR06000 12 1000 1"), and two samples at 1500 Hz: both decimate to 0.
        cincRecord(tmp.resolve("one"), "HR06000", 1000, Fixtures.digital(1, 12, 1));
        EcgFormatException one = assertThrows(EcgFormatException.class, () -> cinc(tmp.resolve("one")));
        assertMessage(one, "HR06000.hea", "field number of samples", "shorter than the minimum");
        cincRecord(tmp.resolve("two"), "T", 1500, Fixtures.digital(2, 12, 2));
        EcgFormatException two = assertThrows(EcgFormatException.class, () -> cinc(tmp.resolve("two")));
        assertMessage(two, "T.hea", "field number of samples");
        // A header that leaves the length to an empty signal file: zero samples, refused by the reader itself.
        Path zero = Files.createDirectories(tmp.resolve("zero"));
        StringBuilder h = new StringBuilder("Z 12 500\n");
        for (String lead : Fixtures.leadLabels()) {
            h.append("Z.dat 16 1000(0)/mV 16 0 0 0 0 ").append(lead).append('\n');
        }
        Files.writeString(zero.resolve("Z.hea"), h + "# Dx: 164889003\n");
        Files.write(zero.resolve("Z.dat"), new byte[0]);
        EcgFormatException empty = assertThrows(EcgFormatException.class, () -> Wfdb.read(zero.resolve("Z.hea")));
        assertMessage(empty, "Z.dat", "no samples");
        assertThrows(EcgFormatException.class, () -> cinc(zero));
        assertThrows(IllegalArgumentException.class, () -> Signals.fixLength(new float[0], 10));
    }

    // 2. The cache key covers the signal files, not only the index.

    @Test
    void cincCacheKeyCoversTheSignalFiles() throws IOException {
        Path root = tmp.resolve("cinc");
        short[][] d0 = Fixtures.digital(100, 12, 1000);
        for (int k = 0; k < 10; k++) {
            cincRecord(root, "R" + k, 500, k == 0 ? d0 : Fixtures.digital(100 + k, 12, 1000));
        }
        assertEquals(d0[0][100] / 1000f, lead(cinc(root), "R0", Lead.I)[100], 1e-6);
        // Rewrite R0.dat with frames 1..n-1 reversed: first sample and sums unchanged, so the header still holds.
        Path dat = root.resolve("R0.dat");
        byte[] b = Files.readAllBytes(dat);
        byte[] r = b.clone();
        int frame = 24;
        for (int i = 1; i < 1000; i++) {
            System.arraycopy(b, (1000 - i) * frame, r, i * frame, frame);
        }
        Files.write(dat, r);
        assertEquals(d0[0][900] / 1000f, lead(cinc(root), "R0", Lead.I)[100], 1e-6,
                "the second build must read the changed .dat, not the cached samples");
        Files.write(dat, Arrays.copyOf(r, r.length - frame));
        assertMessage(assertThrows(EcgFormatException.class, () -> cinc(root)), "R0.dat", "truncated");
        Files.write(dat, new byte[r.length]);
        assertMessage(assertThrows(EcgFormatException.class, () -> cinc(root)), "R0.hea", "field initial value");
        Files.delete(dat);
        assertMessage(assertThrows(EcgFormatException.class, () -> cinc(root)), "R0.dat", "not found");
    }

    private static float[] lead(Cinc ds, String id, Lead lead) {
        for (Split s : List.of(ds.train(), ds.val(), ds.test())) {
            for (int i = 0; i < s.size(); i++) {
                EcgRecord r = s.record(i);
                if (r.id().equals(id)) {
                    return r.lead(lead);
                }
            }
        }
        throw new AssertionError("record " + id + " not loaded");
    }

    private Cpsc2018 cpsc(Path root, Path split) throws IOException {
        return Cpsc2018.builder().setRoot(root).optSplitDir(split).optLength(5000)
                .optCacheDir(tmp.resolve("cache")).build();
    }

    private Path split(String train, String val, String test) throws IOException {
        Path split = Files.createDirectories(tmp.resolve("split"));
        Files.writeString(split.resolve("TRAIN_reference.csv"), Cpsc2018Test.HEADER + train);
        Files.writeString(split.resolve("VAL_reference.csv"), Cpsc2018Test.HEADER + val);
        Files.writeString(split.resolve("TEST_reference.csv"), Cpsc2018Test.HEADER + test);
        return split;
    }

    @Test
    void cpscCacheKeyCoversEveryMatFile() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("cpsc"));
        for (int i = 1; i <= 3; i++) {
            Cpsc2018Test.writeMat(root.resolve("A000" + i + ".mat"), 12, 3000, null);
        }
        Path split = split("A0001,1,,\nA0002,2,,\n", "A0003,3,,\n", "A0003,3,,\n");
        assertEquals(3 + 0.5f, cpsc(root, split).train().record(1).signal()[3][500], 1e-6);
        // Same records, different samples (data(l, i) = l + i / 1000 + 7 for the last).
        Matrix data = Mat5.newMatrix(12, 3000);
        for (int l = 0; l < 12; l++) {
            for (int i = 0; i < 3000; i++) {
                data.setDouble(l, i, l + i / 1000.0 + 7);
            }
        }
        Mat5.writeToFile(Mat5.newMatFile().addArray("ECG", Mat5.newStruct().set("data", data)),
                root.resolve("A0002.mat").toFile());
        assertEquals(10 + 0.5f, cpsc(root, split).train().record(1).signal()[3][500], 1e-6,
                "the second build must read the changed .mat, not the cached samples");
        byte[] b = Files.readAllBytes(root.resolve("A0002.mat"));
        Files.write(root.resolve("A0002.mat"), Arrays.copyOf(b, b.length / 2));
        assertMessage(assertThrows(EcgFormatException.class, () -> cpsc(root, split)), "A0002.mat");
        Files.write(root.resolve("A0002.mat"), new byte[b.length]);
        assertMessage(assertThrows(EcgFormatException.class, () -> cpsc(root, split)), "A0002.mat");
        Files.delete(root.resolve("A0002.mat"));
        assertMessage(assertThrows(EcgFormatException.class, () -> cpsc(root, split)), "A0002.mat", "not found");
    }

    @Test
    void realCpscCopiesTruncatedAfterAFirstBuildAreRefused() throws IOException {
        Path data = Fixtures.sharedData();
        assumeTrue(data != null, Fixtures.SKIP);
        Path root = Files.createDirectories(tmp.resolve("real"));
        try (Stream<Path> s = Files.list(data.resolve("ecg-samples/cpsc2018"))) {
            for (Path p : s.toList()) {
                Files.copy(p, root.resolve(p.getFileName().toString()));
                root.resolve(p.getFileName().toString()).toFile().setWritable(true);
            }
        }
        Cpsc2018 first = Cpsc2018.builder().setRoot(root).optCacheDir(tmp.resolve("cache")).build();
        assertEquals(5, first.train().size() + first.val().size() + first.test().size());
        Path victim = root.resolve("A1981.mat");
        byte[] b = Files.readAllBytes(victim);
        Files.write(victim, Arrays.copyOf(b, b.length - 1000));
        EcgFormatException e = assertThrows(EcgFormatException.class,
                () -> Cpsc2018.builder().setRoot(root).optCacheDir(tmp.resolve("cache")).build());
        assertMessage(e, "A1981.mat");
    }

    // 3. Values that are finite as doubles but not as float32, and absurd amplitudes.

    @Test
    void cpscSamplesMustBeFiniteAsFloatAndWithinTheAmplitudeLimit() throws IOException {
        Path f = tmp.resolve("A0001.mat");
        Cpsc2018Test.writeMat(f, 12, 100, 1e39);
        assertMessage(assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(f)), "A0001.mat",
                "field ECG.data, lead V6, sample 99", "finite");
        Cpsc2018Test.writeMat(f, 12, 100, 1.6e308);
        assertMessage(assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(f)), "lead V6, sample 99");
        Cpsc2018Test.writeMat(f, 12, 100, -300.0);
        assertMessage(assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(f)), "lead V6, sample 99",
                "100.0 mV");
        Cpsc2018Test.writeMat(f, 12, 100, -99.5);
        assertEquals(-99.5f, Cpsc2018.readMat(f)[11][99]);
    }

    @Test
    void wfdbGainAndBaselineAreValidatedAndMillivoltsBounded() throws IOException {
        Path hea = cincRecord(tmp.resolve("g"), "G", 500, Fixtures.digital(3, 12, 1000));
        String ok = Files.readString(hea);
        for (String[] c : new String[][] {{"1000.0(0)/mV", "1e400(0)/mV", "field gain"},
                {"1000.0(0)/mV", "1e-300(0)/mV", "field gain"}, {"1000.0(0)/mV", "-1000(0)/mV", "field gain"},
                {"1000.0(0)/mV", "1000.0(40000)/mV", "field baseline"}}) {
            Files.writeString(hea, ok.replaceFirst(java.util.regex.Pattern.quote(c[0]), c[1]));
            EcgFormatException e = assertThrows(EcgFormatException.class, () -> Wfdb.read(hea), c[1]);
            assertMessage(e, "G.hea", "line 2", c[2]);
        }
        // Gain 1 per mV is a valid header, but makes samples of about +-2000 into +-2000 mV: refused by the loader.
        Files.writeString(hea, ok.replace("1000.0(0)/mV", "1.0(0)/mV"));
        assertEquals(1.0, Wfdb.read(hea).header().signals().get(0).gain());
        assertMessage(assertThrows(EcgFormatException.class, () -> cinc(tmp.resolve("g"))), "G.hea", "mV");
    }

    // 5. Failures from the loaders are typed and name the file.

    @Test
    void malformedNumbersShapesAndTextGiveTypedErrors() throws IOException {
        Path hea = cincRecord(tmp.resolve("o"), "O", 500, Fixtures.digital(4, 12, 1000));
        Files.writeString(hea, Files.readString(hea).replaceFirst("O.dat 16 ", "O.dat 16x1+99999999999999999999 "));
        assertMessage(assertThrows(EcgFormatException.class, () -> Wfdb.read(hea)), "O.hea", "line 2",
                "field byte offset");

        Path fs = cincRecord(tmp.resolve("fs"), "F", 500, Fixtures.digital(5, 12, 1000));
        Files.writeString(fs, Files.readString(fs).replaceFirst("F 12 500.0", "F 12 1e300"));
        assertMessage(assertThrows(EcgFormatException.class, () -> cinc(tmp.resolve("fs"))), "F.hea",
                "field sampling frequency");
        assertThrows(IllegalArgumentException.class, () -> Signals.decimate(new float[100], Integer.MAX_VALUE));

        Path mat = tmp.resolve("A0001.mat");
        Struct array = Mat5.newStruct(1, 2);
        array.set("data", 0, Mat5.newMatrix(12, 1000));
        array.set("data", 1, Mat5.newMatrix(12, 1000));
        Mat5.writeToFile(Mat5.newMatFile().addArray("ECG", array), mat.toFile());
        assertMessage(assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(mat)), "A0001.mat",
                "variable ECG", "1 x 2 struct array");

        Path ref = tmp.resolve("REFERENCE.csv");
        byte[] head = (Cpsc2018Test.HEADER + "A0001,1,,\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = Arrays.copyOf(head, head.length + 10);
        System.arraycopy(new byte[] {'A', '0', '0', '0', '2', ',', (byte) 0xFF, ',', ',', '\n'}, 0, bad,
                head.length, 10);
        Files.write(ref, bad);
        assertMessage(assertThrows(EcgFormatException.class, () -> Cpsc2018.readReference(ref)), "REFERENCE.csv",
                "line 3", "UTF-8");
    }

    // 6. Sizes come from the header or tag, and are bounded before anything is allocated.

    @Test
    void hugeRecordsAreRefusedFromTheirHeaderBeforeAnyAllocation() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("big"));
        long nsamp = 100_000_000L; // 12 x 1e8 int16 = 2.4 GB, a valid but unreadable record
        StringBuilder h = new StringBuilder("B 12 500 " + nsamp + "\n");
        for (String lead : Fixtures.leadLabels()) {
            h.append("B.dat 16 1000(0)/mV 16 0 0 0 0 ").append(lead).append('\n');
        }
        Files.writeString(dir.resolve("B.hea"), h + "# Dx: 164889003\n");
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("B.dat").toFile(), "rw")) {
            f.setLength(nsamp * 24); // sparse: takes no disk space
        }
        assertMessage(assertThrows(EcgFormatException.class, () -> Wfdb.read(dir.resolve("B.hea"))), "B.hea",
                "number of samples", "limit");
        Files.writeString(dir.resolve("B.hea"), h.toString().replace(" " + nsamp + "\n", "\n"));
        assertMessage(assertThrows(EcgFormatException.class, () -> Wfdb.read(dir.resolve("B.hea"))), "B.dat",
                "limit");
    }

    @Test
    void matTagsDeclaringMoreThanTheFileHoldsAreRefused() throws IOException {
        Path f = tmp.resolve("A0001.mat");
        ByteBuffer b = ByteBuffer.allocate(128 + 8 + 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("MATLAB 5.0 MAT-file".getBytes(StandardCharsets.US_ASCII));
        b.position(124);
        b.putShort((short) 0x0100).put((byte) 'I').put((byte) 'M');
        b.putInt(14).putInt(0x7FFFFFF8);
        Files.write(f, b.array());
        assertMessage(assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(f)), "A0001.mat",
                "declares 2147483640 bytes");
        // Inside a well-formed matrix: the dimensions tag of ECG.data claims 2 GB.
        Cpsc2018Test.writeMat(f, 12, 1000, null);
        byte[] raw = uncompressed(Files.readAllBytes(f));
        Files.write(f, raw);
        assertEquals(12, Cpsc2018.readMat(f).length, "the uncompressed form reads as the compressed one");
        int dims = indexOf(raw, new byte[] {5, 0, 0, 0, 8, 0, 0, 0, 12, 0, 0, 0, (byte) 0xE8, 3, 0, 0});
        assertTrue(dims > 0, "dimensions 12 x 1000 of ECG.data");
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putInt(dims + 4, 0x7FFFFFF0);
        Files.write(f, raw);
        assertMessage(assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(f)), "A0001.mat",
                "declares 2147483632 bytes");
    }

    /** The same MAT file with every compressed top-level element stored uncompressed. */
    static byte[] uncompressed(byte[] mat) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(mat).order(ByteOrder.LITTLE_ENDIAN);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(mat, 0, 128);
        int pos = 128;
        while (pos < mat.length) {
            int type = in.getInt(pos);
            int n = in.getInt(pos + 4);
            if (type == 15) {
                Inflater inf = new Inflater();
                inf.setInput(mat, pos + 8, n);
                byte[] buf = new byte[1 << 16];
                try {
                    while (!inf.finished()) {
                        int r = inf.inflate(buf);
                        out.write(buf, 0, r);
                    }
                } catch (java.util.zip.DataFormatException e) {
                    throw new IOException(e);
                } finally {
                    inf.end();
                }
            } else {
                out.write(mat, pos, 8 + n);
            }
            pos += 8 + n;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] a, byte[] p) {
        for (int i = 0; i + p.length <= a.length; i++) {
            if (Arrays.equals(a, i, i + p.length, p, 0, p.length)) {
                return i;
            }
        }
        return -1;
    }

    // 8. Smaller ones.

    @Test
    void aByteOrderMarkIsNotPartOfTheRecordId() throws IOException {
        Path root = tmp.resolve("bom");
        for (int k = 0; k < 3; k++) {
            Path hea = cincRecord(root, "M" + k, 500, Fixtures.digital(200 + k, 12, 1000));
            byte[] text = Files.readAllBytes(hea);
            byte[] withBom = new byte[text.length + 3];
            withBom[0] = (byte) 0xEF;
            withBom[1] = (byte) 0xBB;
            withBom[2] = (byte) 0xBF;
            System.arraycopy(text, 0, withBom, 3, text.length);
            Files.write(hea, withBom);
        }
        assertEquals("M0", WfdbHeader.read(root.resolve("M0.hea")).name());
        Cinc ds = cinc(root);
        List<String> ids = new ArrayList<>();
        for (Split s : List.of(ds.train(), ds.val(), ds.test())) {
            for (int i = 0; i < s.size(); i++) {
                ids.add(s.record(i).id());
            }
        }
        ids.sort(null);
        assertEquals(List.of("M0", "M1", "M2"), ids);
    }

    @Test
    void complexDataTwoEcgVariablesAndFragmentsAreRefused() throws IOException {
        Path f = tmp.resolve("A0001.mat");
        Mat5.writeToFile(Mat5.newMatFile().addArray("ECG", Mat5.newStruct().set("data", Mat5.newComplex(12, 1000))),
                f.toFile());
        assertMessage(assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(f)), "field ECG.data",
                "complex");
        Matrix a = Mat5.newMatrix(12, 1000);
        Matrix b = Mat5.newMatrix(12, 1000);
        b.setDouble(0, 0, 1);
        Mat5.writeToFile(Mat5.newMatFile().addArray("ECG", Mat5.newStruct().set("data", a))
                .addArray("ECG", Mat5.newStruct().set("data", b)), f.toFile());
        assertMessage(assertThrows(EcgFormatException.class, () -> Cpsc2018.readMat(f)), "variable ECG", "twice");

        // 100 samples (0.2 s) would be tiled 50 times to 10 s; 2 s is the documented minimum.
        Path root = Files.createDirectories(tmp.resolve("short"));
        Cpsc2018Test.writeMat(root.resolve("A0001.mat"), 12, 100, null);
        Cpsc2018Test.writeMat(root.resolve("A0002.mat"), 12, 1000, null);
        Path split = split("A0001,1,,\n", "A0002,2,,\n", "A0002,2,,\n");
        assertMessage(assertThrows(EcgFormatException.class, () -> cpsc(root, split)), "A0001.mat",
                "shorter than the minimum of 2.0 s");
        Files.writeString(split.resolve("TRAIN_reference.csv"), Cpsc2018Test.HEADER + "A0002,1,,\n");
        Cpsc2018 ds = cpsc(root, split);
        assertEquals(5000, ds.train().record(0).samples());
        assertNotEquals(0, ds.train().record(0).signal()[5][1]);
    }
}
