package dev.mvkt.core;

import dev.mvkt.backbones.EcgNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.mvkt.core.ModelZips.META;
import static dev.mvkt.core.ModelZips.NETWORK;
import static dev.mvkt.core.ModelZips.PROVENANCE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 16: every entry and field of a model file is integrity-checked and range-checked, and every failure to load
 * is a typed error that names the file and the entry or field, without unbounded reads.
 */
class ModelFileIntegrityTest {
    @TempDir
    static Path shared;
    private static Path saved;
    private static List<ModelZips.Entry> entries;
    private static double[] reference;

    @BeforeAll
    static void save() throws IOException {
        saved = shared.resolve("student.mvkt");
        TinyModels.student().save(saved);
        entries = ModelZips.read(saved);
        reference = TinyModels.student().diagnose(TinyModels.leadII(), 100).probabilities();
    }

    private static ModelFormatException refused(Path f, String... fragments) {
        var e = assertThrows(ModelFormatException.class, () -> Student.load(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), "names the file: " + e.getMessage());
        for (String s : fragments) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' in: " + e.getMessage());
        }
        return e;
    }

    private static Path edited(Path dir, String name, Consumer<Map<String, String>> edit, boolean rehash)
            throws IOException {
        return ModelZips.write(dir.resolve(name), ModelZips.editMeta(entries, edit, rehash));
    }

    @Test
    void savedFilesAreFormat3WithEveryEntryHashed() throws IOException {
        Map<String, String> meta = ModelZips.props(ModelZips.entry(entries, META));
        assertEquals("3", meta.get("formatVersion"));
        assertEquals(ModelZips.sha256(ModelZips.entry(entries, NETWORK)), meta.get("network.sha256"));
        assertEquals(ModelZips.sha256(ModelZips.entry(entries, PROVENANCE)), meta.get("provenance.sha256"));
        assertEquals(ModelZips.propertiesSha256(meta), meta.get("properties.sha256"));
        assertEquals(List.of(META, PROVENANCE, NETWORK), entries.stream().map(ModelZips.Entry::name).toList());
    }

    /** Valid but different values, edited without updating the hash: each would change or break diagnose. */
    @ParameterizedTest
    @ValueSource(strings = {"standardize.std=0.5", "standardize.mean=0.25", "samplingRate=250.0", "length=500",
            "class.0.threshold=0.9", "class.1.name=OTHER", "leads=I", "architecture=cnn_hannun", "featureDim=7",
            "backbone.width=64"})
    void anEditedFieldIsCaughtByTheChecksum(String edit, @TempDir Path dir) throws IOException {
        String[] kv = edit.split("=", 2);
        Path f = edited(dir, "edited.mvkt", m -> m.put(kv[0], kv[1]), false);
        refused(f, META + " does not match its recorded SHA-256");
    }

    @Test
    void anEditedProvenanceIsCaughtByTheChecksum(@TempDir Path dir) throws IOException {
        Map<String, String> prov = ModelZips.props(ModelZips.entry(entries, PROVENANCE));
        prov.put("training.seed", "99");
        Path f = ModelZips.write(dir.resolve("prov.mvkt"),
                ModelZips.replace(entries, PROVENANCE, ModelZips.props(prov)));
        refused(f, PROVENANCE + " does not match its recorded SHA-256");
    }

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("standardize.std", "0"), Arguments.of("standardize.std", "-1"),
                Arguments.of("standardize.std", "NaN"), Arguments.of("standardize.std", "Infinity"),
                Arguments.of("standardize.std", "1e-320"), Arguments.of("standardize.mean", "NaN"),
                Arguments.of("standardize.mean", "-Infinity"), Arguments.of("samplingRate", "0"),
                Arguments.of("samplingRate", "-100"), Arguments.of("samplingRate", "NaN"),
                Arguments.of("samplingRate", "Infinity"), Arguments.of("samplingRate", "1e9"),
                Arguments.of("length", "0"), Arguments.of("length", "-5"), Arguments.of("length", "2147483647"),
                Arguments.of("length", "1.5"), Arguments.of("class.0.threshold", "NaN"),
                Arguments.of("class.0.threshold", "-1"), Arguments.of("class.4.threshold", "2"),
                Arguments.of("classes", "-1"), Arguments.of("classes", "0"), Arguments.of("classes", "2147483647"),
                Arguments.of("classes", "five"), Arguments.of("leads", "XX"), Arguments.of("leads", "II,II"),
                Arguments.of("leads", ""), Arguments.of("kind", "teacher2"), Arguments.of("featureDim", "0"),
                Arguments.of("architecture", " "), Arguments.of("formatVersion", "three"));
    }

    /** Even with the hashes recomputed (format 3) or absent (format 2), every field's range is checked. */
    @ParameterizedTest
    @MethodSource("outOfRange")
    void anOutOfRangeFieldIsRefusedNamingIt(String key, String value, @TempDir Path dir) throws IOException {
        Path v3 = edited(dir, "v3.mvkt", m -> m.put(key, value), true);
        refused(v3, "field '" + key + "'");
        Path v2 = ModelZips.write(dir.resolve("v2.mvkt"),
                ModelZips.editMeta(ModelZips.toFormat2(entries), m -> m.put(key, value), false));
        refused(v2, "field '" + key + "'");
    }

    @Test
    void classNamesMustBeDistinct(@TempDir Path dir) throws IOException {
        Path f = edited(dir, "dup.mvkt", m -> m.put("class.2.name", m.get("class.0.name")), true);
        refused(f, "'class.0.name' and 'class.2.name'");
    }

    @Test
    void aMissingOrExtraFieldIsRefused(@TempDir Path dir) throws IOException {
        refused(edited(dir, "missing.mvkt", m -> m.remove("standardize.std"), true), "lacks field 'standardize.std'");
        refused(edited(dir, "missingClass.mvkt", m -> m.remove("class.3.threshold"), true),
                "lacks field 'class.3.threshold'");
        refused(edited(dir, "extra.mvkt", m -> m.put("standardise.std", "1.0"), true),
                "unknown field 'standardise.std'");
        refused(edited(dir, "beyond.mvkt", m -> m.put("class.5.name", "X"), true), "'class.5.name' but classes=5");
    }

    /** The recorded sizes must be the network's: a class count the network does not give breaks diagnose. */
    @Test
    void classesAndLeadsMustMatchTheNetwork(@TempDir Path dir) throws IOException {
        Path fewer = edited(dir, "fewer.mvkt", m -> {
            m.put("classes", "4");
            m.remove("class.4.name");
            m.remove("class.4.threshold");
            m.remove("class.4.temperature");
        }, true);
        refused(fewer, "'classes' is 4", NETWORK);
        refused(edited(dir, "leads.mvkt", m -> m.put("leads", "I,II"), true), "field 'leads'", "reads 1");
        refused(edited(dir, "features.mvkt", m -> m.put("featureDim", "7"), true), "'featureDim' is 7");
    }

    @Test
    void aDuplicateEntryIsRefusedWhereverItIs(@TempDir Path dir) throws IOException {
        List<ModelZips.Entry> twice = new ArrayList<>(entries);
        twice.add(ModelZips.editMeta(entries, m -> m.put("standardize.std", "9.0"), true).get(0));
        refused(ModelZips.write(dir.resolve("meta2.mvkt"), twice), "entry '" + META + "' appears twice");
        List<ModelZips.Entry> net2 = new ArrayList<>(entries);
        net2.add(1, entries.get(2));
        refused(ModelZips.write(dir.resolve("net2.mvkt"), net2), "entry '" + NETWORK + "' appears twice");
    }

    @Test
    void aDuplicateKeyInsideThePropertiesIsRefused(@TempDir Path dir) throws IOException {
        byte[] meta = ModelZips.entry(entries, META);
        byte[] more = (new String(meta, StandardCharsets.UTF_8) + "standardize.std=7.0\n")
                .getBytes(StandardCharsets.UTF_8);
        refused(ModelZips.write(dir.resolve("key2.mvkt"), ModelZips.replace(entries, META, more)),
                "key 'standardize.std' twice");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void aMissingProvenanceIsRefused(int version, @TempDir Path dir) throws IOException {
        List<ModelZips.Entry> base = version == 2 ? ModelZips.toFormat2(entries) : entries;
        List<ModelZips.Entry> without = base.stream().filter(e -> !e.name().equals(PROVENANCE)).toList();
        refused(ModelZips.write(dir.resolve("noprov.mvkt"), without), "missing entry " + PROVENANCE);
        // Present but emptied: format 3's hash catches it; format 2 finds no stage.
        Path empty = ModelZips.write(dir.resolve("emptyprov.mvkt"),
                ModelZips.replace(base, PROVENANCE, ModelZips.props(Map.of())));
        refused(empty, PROVENANCE);
    }

    @Test
    void aRenamedOrForeignEntryIsRefused(@TempDir Path dir) throws IOException {
        List<ModelZips.Entry> renamed = new ArrayList<>(entries);
        renamed.set(2, new ModelZips.Entry("network.bin.old", entries.get(2).data()));
        refused(ModelZips.write(dir.resolve("renamed.mvkt"), renamed), "unexpected entry 'network.bin.old'");
        List<ModelZips.Entry> extra = new ArrayList<>(entries);
        extra.add(new ModelZips.Entry("readme.txt", "hi".getBytes(StandardCharsets.UTF_8)));
        refused(ModelZips.write(dir.resolve("extra.mvkt"), extra), "unexpected entry 'readme.txt'");
    }

    /** Format 2 (network hash only, network deflated) is still read, with the field checks, and predicts the same. */
    @Test
    void format2FilesStillLoad(@TempDir Path dir) throws IOException {
        Path v2 = ModelZips.write(dir.resolve("v2.mvkt"), ModelZips.toFormat2(entries));
        Student s = Student.load(v2);
        assertArrayEquals(reference, s.diagnose(TinyModels.leadII(), 100).probabilities(), 0.0);
        assertEquals(TinyModels.student().provenance(), s.provenance());
        refused(ModelZips.write(dir.resolve("v1.mvkt"), ModelZips.editMeta(entries,
                m -> m.put("formatVersion", "1"), true)), "format version 1 is not supported");
    }

    @Test
    void aModelTheReaderWouldRefuseIsNotWritten(@TempDir Path dir) {
        TrainedModel m = TinyModels.student().model;
        TrainedModel odd = new TrainedModel(m.kind(), m.network(), m.leads(), m.labels(), m.thresholds(),
                m.standardizer(), m.samplingRate(), ModelFiles.MAX_LENGTH + 1, m.provenance());
        Path f = dir.resolve("odd.mvkt");
        var e = assertThrows(ModelFormatException.class, () -> new Student(odd).save(f));
        assertTrue(e.getMessage().startsWith(f + " (not written): field 'length'"), e.getMessage());
        assertFalse(Files.exists(f));
    }

    // ------------------------------------------------------------------------------------------ issue 16, defect 5/6

    @Test
    void anEntryNameThatIsNotUtf8IsATypedError(@TempDir Path dir) throws IOException {
        List<ModelZips.Entry> named = new ArrayList<>(entries);
        named.set(1, new ModelZips.Entry("provenance.propertieX", entries.get(1).data()));
        byte[] zip = ModelZips.zip(named);
        byte[] marker = "propertieX".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(zip, marker);
        zip[at + marker.length - 1] = (byte) 0xC3; // a UTF-8 lead byte with no continuation
        Path f = dir.resolve("name.mvkt");
        Files.write(f, zip);
        refused(f, "not UTF-8");
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @Test
    void aDirectoryIsATypedErrorNamingIt(@TempDir Path dir) {
        refused(dir, "is a directory");
    }

    @Test
    void aFifoIsRefusedWithoutBlocking(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe.mvkt");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "SKIPPED: no mkfifo here (" + e.getMessage() + ")");
            return;
        }
        assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "SKIPPED: mkfifo failed");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> refused(fifo, "not a regular file"));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void aTruncatedNetworkEntryIsATypedErrorNamingTheFileAndEntry(int version, @TempDir Path dir)
            throws IOException {
        List<ModelZips.Entry> base = version == 2 ? ModelZips.toFormat2(entries) : entries;
        byte[] net = ModelZips.entry(base, NETWORK);
        List<ModelZips.Entry> cut = ModelZips.replace(base, NETWORK, java.util.Arrays.copyOf(net, net.length / 2));
        // With the hash recomputed, so that the network reader itself meets the truncation.
        Path f = ModelZips.write(dir.resolve("cut.mvkt"), ModelZips.editMeta(cut, m -> { }, true));
        refused(f, NETWORK);
    }

    @Test
    void aPropertiesEntryThatExpandsBeyondItsBoundIsRefused(@TempDir Path dir) throws IOException {
        // 64 MiB of comment before the real fields: still a valid properties text, deflated to about 64 KiB.
        byte[] meta = ModelZips.entry(entries, META);
        byte[] big = new byte[64 << 20];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '#';
        big[big.length - 1] = '\n';
        Path f = dir.resolve("bigmeta.mvkt");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.setLevel(Deflater.BEST_SPEED);
            z.putNextEntry(new ZipEntry(META));
            z.write(big);
            z.write(meta);
            z.closeEntry();
            for (ModelZips.Entry e : entries.subList(1, 3)) {
                z.putNextEntry(new ZipEntry(e.name()));
                z.write(e.data());
                z.closeEntry();
            }
        }
        assertTrue(Files.size(f) < (4 << 20), "a small file: " + Files.size(f));
        refused(f, "entry '" + META + "' expands to more than " + ModelFiles.MAX_PROPERTIES_BYTES + " bytes");
    }

    @Test
    void aNetworkEntryThatExpandsBeyondWhatTheFileCanHoldIsRefused(@TempDir Path dir) throws IOException {
        byte[] net = ModelZips.entry(entries, NETWORK);
        Path f = dir.resolve("bignet.mvkt");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.setLevel(Deflater.BEST_SPEED);
            for (ModelZips.Entry e : entries.subList(0, 2)) {
                z.putNextEntry(new ZipEntry(e.name()));
                z.write(e.data());
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry(NETWORK));
            z.write(net);
            z.write(new byte[64 << 20]);
            z.closeEntry();
        }
        refused(f, "entry '" + NETWORK + "' expands to more than", Files.size(f) + "-byte");
    }

    /** Issue 16, defect 5: {@code classes=-1} was a NegativeArraySizeException in format 2. */
    @Test
    void aNegativeOrHugeClassCountIsATypedError(@TempDir Path dir) throws IOException {
        for (String classes : List.of("-1", "2147483647")) {
            Path f = ModelZips.write(dir.resolve("classes" + classes + ".mvkt"),
                    ModelZips.editMeta(ModelZips.toFormat2(entries), m -> m.put("classes", classes), false));
            refused(f, "field 'classes'");
        }
    }

    @Test
    void foreignAndTruncatedFilesNameTheFile(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(saved);
        // Cuts inside the entries; a cut in the central directory alone leaves every entry whole (and verified).
        for (int cut : new int[]{0, 10, 100, bytes.length / 2, bytes.length * 9 / 10}) {
            Path f = dir.resolve("cut" + cut + ".mvkt");
            Files.write(f, java.util.Arrays.copyOf(bytes, cut));
            refused(f);
        }
    }

    // -------------------------------------------------------------------------------------------- issue 16, item C

    /** A trained model's network cannot be changed through {@code network()}: it hands out a copy. */
    @Test
    void trainingTheNetworkAccessorsResultLeavesTheModelAsItWas(@TempDir Path dir) throws IOException {
        Student s = Student.load(saved);
        float[] before = s.network().graph().params().toFloatVector();
        EcgNetwork n = s.network();
        var x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 1000, 1);
        for (int i = 0; i < 3; i++) {
            n.trainStep(x, out -> new EcgNetwork.Outputs(out.logits().add(1.0), null));
        }
        assertFalse(java.util.Arrays.equals(before, n.graph().params().toFloatVector()), "the copy trained");
        assertArrayEquals(before, s.network().graph().params().toFloatVector(), 0f);
        assertArrayEquals(reference, s.diagnose(TinyModels.leadII(), 100).probabilities(), 0.0);
        Path again = dir.resolve("again.mvkt");
        s.save(again);
        assertArrayEquals(reference, Student.load(again).diagnose(TinyModels.leadII(), 100).probabilities(), 0.0);
        assertNotEquals(s.network(), s.network(), "a new copy per call");
        Student trained = TinyModels.student();
        int epochs = trained.model.network().graph().getEpochCount();
        assertTrue(epochs > 0);
        assertEquals(epochs, trained.network().graph().getEpochCount(), "the copy keeps the optimiser's counts");
    }
}
