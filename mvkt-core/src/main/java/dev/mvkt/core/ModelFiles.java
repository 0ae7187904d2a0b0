package dev.mvkt.core;

import com.google.common.hash.Hashing;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Provenance;
import dev.mvkt.backbones.EcgNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The {@code .mvkt} file: a zip of exactly three entries, {@code mvkt-model.properties} first (it identifies the
 * file), then {@code provenance.properties} and {@code network.bin} (DL4J's ModelSerializer form, without optimiser
 * state). Format 3 records a SHA-256 of every entry, the properties' own fields included, so that a damaged or
 * edited file is refused rather than silently mispredicting; every field is range-checked on load, and the network
 * must run on one window and give the recorded number of classes and features. Format 2 files (network hash only)
 * are still read, with the same field checks. Layout and limits: docs/architecture.md, "Model files".
 */
final class ModelFiles {
    static final String FORMAT = "mvkt-model";
    /**
     * 3: SHA-256 of the provenance entry and of the properties' own fields, network entry stored (not deflated again:
     * it is a zip already). 2: convolutions run along the width ({@code (1, k)} kernels), so version-1 weights do
     * not fit.
     */
    static final int FORMAT_VERSION = 3;
    /** Format 2 files carry only the network's hash; they are read with the same field checks as format 3. */
    static final int OLDEST_READABLE_VERSION = 2;
    /** The largest model file read (2^30 bytes); a stream is not read past it. */
    static final long MAX_FILE_BYTES = 1L << 30;
    /** The most either properties entry may expand to. */
    static final int MAX_PROPERTIES_BYTES = 1 << 20;
    /**
     * network.bin may expand to at most this many times the whole file: it is a zip itself, so deflating it again
     * (format 2) gains little, and format 3 stores it as it is.
     */
    static final int MAX_NETWORK_EXPANSION = 4;
    static final int MAX_CLASSES = 10_000;
    /** Window length bound (2^17 samples, 131 s at 1 kHz): a forward pass of this length runs on load. */
    static final int MAX_LENGTH = 1 << 17;
    /** A training rate below 1 Hz is no ECG (and 1e-320 Hz would make diagnose resample to nothing). */
    static final double MIN_SAMPLING_RATE = 1;
    static final double MAX_SAMPLING_RATE = 100_000;
    static final int MAX_FEATURE_DIM = 1 << 20;
    /**
     * Standardisation bounds: |mean| and std at most 10^30, std at least 10^-30 (a subnormal std overflows the
     * standardised float samples, and the network sees infinities).
     */
    static final double MAX_STANDARDIZE = 1e30;
    static final double MIN_STD = 1e-30;

    static final String META = "mvkt-model.properties";
    static final String PROVENANCE = "provenance.properties";
    static final String NETWORK = "network.bin";
    /** The properties' own hash; it covers every other field of {@link #META} (see {@link #propertiesDigest}). */
    static final String PROPERTIES_SHA = "properties.sha256";
    private static final List<String> ENTRIES = List.of(META, PROVENANCE, NETWORK);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private ModelFiles() {
    }

    // ---------------------------------------------------------------------------------------------------- fields

    /** Checks one value; returns what the value must be when it is wrong, null when it is fine. */
    @FunctionalInterface
    private interface Rule {
        String violation(String value);
    }

    /**
     * One field of {@link #META}. In {@code key}, {@code #} stands for a class index {@code 0 <= # < classes} (one
     * field per class) and a trailing {@code *} for any rest (a prefix). {@code since}: the first format version
     * that has it; it is required from then on when {@code required}.
     */
    private record Field(String key, int since, boolean required, Rule rule) {
    }

    /**
     * Every field of {@link #META}: a field not listed here is refused. A new field is one row here (then write it
     * in {@link #write} and use it in {@link #read}); a new required field needs a format version.
     */
    private static final List<Field> FIELDS = List.of(
            new Field("format", 2, true, oneOf(FORMAT)),
            new Field("formatVersion", 2, true, integer(1, Integer.MAX_VALUE)),
            new Field("kind", 2, true, oneOf("teacher", "student", "pretrained")),
            new Field("architecture", 2, true, text()),
            new Field("featureDim", 2, true, integer(1, MAX_FEATURE_DIM)),
            new Field("backbone.*", 2, false, any()),
            new Field("leads", 2, true, ModelFiles::leadsViolation),
            new Field("classes", 2, true, integer(1, MAX_CLASSES)),
            new Field("class.#.name", 2, true, text()),
            new Field("class.#.threshold", 2, true, real(0, 1)),
            new Field("samplingRate", 2, true, real(MIN_SAMPLING_RATE, MAX_SAMPLING_RATE)),
            new Field("length", 2, true, integer(1, MAX_LENGTH)),
            new Field("standardize.mean", 2, true, real(-MAX_STANDARDIZE, MAX_STANDARDIZE)),
            new Field("standardize.std", 2, true, real(MIN_STD, MAX_STANDARDIZE)),
            new Field("class.#.temperature", 2, false, real(Calibration.MIN_TEMPERATURE, Calibration.MAX_TEMPERATURE)),
            new Field("network.sha256", 2, true, sha256()),
            new Field("provenance.sha256", 3, true, sha256()),
            new Field(PROPERTIES_SHA, 3, true, sha256()));

    private static Rule oneOf(String... values) {
        List<String> ok = List.of(values);
        return v -> ok.contains(v) ? null : "one of " + ok;
    }

    private static Rule text() {
        return v -> v.isBlank() ? "non-blank text" : null;
    }

    private static Rule any() {
        return v -> null;
    }

    private static Rule sha256() {
        return v -> SHA256.matcher(v).matches() ? null : "64 lower-case hexadecimal digits";
    }

    private static Rule integer(int min, int max) {
        return v -> {
            try {
                int i = Integer.parseInt(v.strip());
                return i >= min && i <= max ? null : "an integer in [" + min + ", " + max + "]";
            } catch (NumberFormatException e) {
                return "an integer in [" + min + ", " + max + "]";
            }
        };
    }

    /** A number in {@code [min, max]}; NaN never is. */
    private static Rule real(double min, double max) {
        String what = "a number in [" + min + ", " + max + "]";
        return v -> {
            double d = parseDouble(v);
            return d >= min && d <= max ? null : what;
        };
    }

    private static double parseDouble(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String leadsViolation(String v) {
        String what = "distinct lead names from " + java.util.Arrays.toString(Lead.values()) + ", comma-separated";
        List<String> seen = new ArrayList<>();
        for (String l : v.split(",", -1)) {
            try {
                Lead.valueOf(l);
            } catch (IllegalArgumentException e) {
                return what + " ('" + shorten(l) + "' is not one)";
            }
            if (seen.contains(l)) {
                return what + " ('" + l + "' appears twice)";
            }
            seen.add(l);
        }
        return null;
    }

    /** The row for {@code key}, or null; {@code index[0]} gets the class index of a {@code #} field. */
    private static Field field(String key, int[] index) {
        String[] parts = key.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].matches("0|[1-9][0-9]{0,8}")) {
                index[0] = Integer.parseInt(parts[i]);
                parts[i] = "#";
                break;
            }
        }
        String pattern = String.join(".", parts);
        for (Field f : FIELDS) {
            boolean prefix = f.key.endsWith("*");
            if (prefix ? key.startsWith(f.key.substring(0, f.key.length() - 1)) : f.key.equals(pattern)) {
                return f;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------- write

    /** Writes atomically: a temporary file in the same directory, renamed when complete. */
    static void write(TrainedModel m, Path path) throws IOException {
        ByteArrayOutputStream net = new ByteArrayOutputStream();
        m.network().write(net, false);
        byte[] netBytes = net.toByteArray();
        Properties prov = new Properties();
        m.provenance().entries().forEach(prov::setProperty);
        byte[] provBytes = props(prov);

        Map<String, String> meta = new TreeMap<>();
        meta.put("format", FORMAT);
        meta.put("formatVersion", String.valueOf(FORMAT_VERSION));
        meta.put("kind", m.kind());
        meta.put("architecture", m.network().architecture());
        meta.put("featureDim", String.valueOf(m.network().featureDim()));
        m.network().config().forEach((k, v) -> meta.put("backbone." + k, String.valueOf(v)));
        List<String> leadNames = new ArrayList<>();
        m.leads().forEach(l -> leadNames.add(l.name()));
        meta.put("leads", String.join(",", leadNames));
        meta.put("classes", String.valueOf(m.labels().size()));
        for (int c = 0; c < m.labels().size(); c++) {
            meta.put("class." + c + ".name", m.labels().name(c));
            meta.put("class." + c + ".threshold", String.valueOf(m.thresholds()[c]));
        }
        meta.put("samplingRate", String.valueOf(m.samplingRate()));
        meta.put("length", String.valueOf(m.length()));
        meta.put("standardize.mean", String.valueOf(m.standardizer().mean()));
        meta.put("standardize.std", String.valueOf(m.standardizer().std()));
        writeCalibration(meta, m.temperatures());
        meta.put("network.sha256", sha256(netBytes));
        meta.put("provenance.sha256", sha256(provBytes));
        meta.put(PROPERTIES_SHA, propertiesDigest(meta));
        // A model this reader would refuse (a window beyond MAX_LENGTH, say) is not written at all.
        checkFields(meta, FORMAT_VERSION, new Source(path + " (not written)"));
        Properties metaProps = new Properties();
        metaProps.putAll(meta);

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(file)) {
            put(zip, META, props(metaProps), false);
            put(zip, PROVENANCE, provBytes, false);
            put(zip, NETWORK, netBytes, true);
        }
        AtomicFiles.write(path, file.toByteArray());
    }

    /**
     * SHA-256 of the fields of {@link #META} other than {@link #PROPERTIES_SHA}, as loaded (escapes and comments do
     * not count): in Java's String order of the keys, each key then its value as a 4-byte big-endian length of its
     * UTF-8 bytes followed by those bytes.
     */
    static String propertiesDigest(Map<String, String> meta) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            for (Map.Entry<String, String> e : new TreeMap<>(meta).entrySet()) {
                if (!e.getKey().equals(PROPERTIES_SHA)) {
                    for (String s : new String[]{e.getKey(), e.getValue()}) {
                        byte[] u = s.getBytes(StandardCharsets.UTF_8);
                        out.writeInt(u.length);
                        out.write(u);
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError("in-memory stream", e);
        }
        return sha256(b.toByteArray());
    }

    static String sha256(byte[] bytes) {
        return Hashing.sha256().hashBytes(bytes).toString();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data, boolean stored) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (stored) {
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            e.setCompressedSize(data.length);
            e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static byte[] props(Properties p) throws IOException {
        StringWriter w = new StringWriter();
        // Sorted for stable, diffable files.
        Properties sorted = new Properties() {
            @Override
            public synchronized java.util.Set<Map.Entry<Object, Object>> entrySet() {
                return java.util.Collections.synchronizedSet(new java.util.TreeMap<>(p).entrySet());
            }
        };
        sorted.putAll(p);
        sorted.store(w, null);
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ----------------------------------------------------------------------------------------------------- read

    /** Where the bytes come from, as error messages name it: a path, a URL, or "input stream". */
    record Source(String name) {
        ModelFormatException fail(String message) {
            return new ModelFormatException(name + ": " + message);
        }

        ModelFormatException fail(String message, Throwable cause) {
            return new ModelFormatException(name + ": " + message, cause);
        }

        /** {@code e} with this source in its message, when it does not name it already. */
        IOException named(IOException e) {
            if (e instanceof FileSystemException || String.valueOf(e.getMessage()).contains(name)) {
                return e;
            }
            return new IOException(name + ": cannot be read (" + e + ")", e);
        }
    }

    /**
     * @param expectedKind   "teacher", "student" or "pretrained"
     * @param expectedSha256 SHA-256 of the whole file, or null to not pin it
     * @throws ModelFormatException naming the file and what is wrong with it
     */
    static TrainedModel read(Path path, String expectedKind, String expectedSha256) throws IOException {
        Objects.requireNonNull(path, "path");
        String pin = pin(expectedSha256);
        Source src = new Source(path.toString());
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such mvkt model file");
        }
        if (a.isDirectory()) {
            throw src.fail("is a directory, not an mvkt model file");
        }
        if (!a.isRegularFile()) {
            // Opening a FIFO would block until a writer comes; devices and sockets are no model files either.
            throw src.fail("is not a regular file (a pipe, device or socket?); load a model from a file, a URL or "
                    + "an InputStream");
        }
        if (a.size() > MAX_FILE_BYTES) {
            throw src.fail("has " + a.size() + " bytes, more than the " + MAX_FILE_BYTES + " an mvkt model file may "
                    + "have");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = readBounded(in, MAX_FILE_BYTES, src);
        } catch (IOException e) {
            throw src.named(e);
        }
        return parse(bytes, src, expectedKind, pin);
    }

    /** A {@code file:} URL is read as a path (with its checks); any other through {@link URL#openStream()}. */
    static TrainedModel read(URL url, String expectedKind, String expectedSha256) throws IOException {
        Objects.requireNonNull(url, "url");
        String pin = pin(expectedSha256);
        if ("file".equalsIgnoreCase(url.getProtocol())) {
            Path path = null;
            try {
                path = Path.of(url.toURI());
            } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
                // Not a plain file path (a host part, say): read it as a stream below.
            }
            if (path != null) {
                return read(path, expectedKind, pin);
            }
        }
        Source src = new Source(url.toExternalForm());
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = readBounded(in, MAX_FILE_BYTES, src);
        } catch (IOException e) {
            throw src.named(e);
        }
        return parse(bytes, src, expectedKind, pin);
    }

    /** Reads {@code in} to its end (at most {@link #MAX_FILE_BYTES}); does not close it. */
    static TrainedModel read(InputStream in, String expectedKind, String expectedSha256) throws IOException {
        Objects.requireNonNull(in, "in");
        String pin = pin(expectedSha256);
        Source src = new Source("input stream");
        byte[] bytes;
        try {
            bytes = readBounded(in, MAX_FILE_BYTES, src);
        } catch (IOException e) {
            throw src.named(e);
        }
        return parse(bytes, src, expectedKind, pin);
    }

    /** {@code expectedSha256} of a pinned load, which must be given. */
    static String pinned(String expectedSha256) {
        return Objects.requireNonNull(expectedSha256, "expectedSha256 (use the load without it to not pin the file)");
    }

    /** The lower-case form of an expected SHA-256, or null for none. */
    private static String pin(String expectedSha256) {
        if (expectedSha256 == null) {
            return null;
        }
        String s = expectedSha256.strip().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(s).matches()) {
            throw new IllegalArgumentException("expected SHA-256 must be 64 hexadecimal digits (as sha256sum prints "
                    + "them), was '" + shorten(expectedSha256) + "'");
        }
        return s;
    }

    /** All of {@code in}, refused once it passes {@code max} bytes (so at most {@code max + 1} are read). */
    static byte[] readBounded(InputStream in, long max, Source src) throws IOException {
        // readNBytes grows its buffer as data arrives, so a short stream does not allocate the bound.
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, max + 1));
        if (b.length > max) {
            throw src.fail("is larger than the " + max + " bytes an mvkt model file may have");
        }
        return b;
    }

    private static TrainedModel parse(byte[] bytes, Source src, String expectedKind, String pin) {
        if (pin != null) {
            String actual = sha256(bytes);
            if (!actual.equals(pin)) {
                throw src.fail("SHA-256 of the file is " + actual + ", not the expected " + pin
                        + " (another file, or damaged)");
            }
        }
        int[] version = new int[1];
        Map<String, byte[]> entries = entries(bytes, src,
                meta -> version[0] = checkHeader(properties(meta, META, src), src, expectedKind));
        return parse(entries, properties(entries.get(META), META, src), version[0], src);
    }

    private static TrainedModel parse(Map<String, byte[]> entries, Map<String, String> meta, int version,
                                      Source src) {
        if (version >= 3 && !propertiesDigest(meta).equals(meta.get(PROPERTIES_SHA))) {
            throw src.fail(META + " does not match its recorded SHA-256 (" + PROPERTIES_SHA + "): a field was edited "
                    + "or damaged");
        }
        checkFields(meta, version, src);
        String kind = meta.get("kind");
        if (version >= 3) {
            checkHash(entries.get(PROVENANCE), meta.get("provenance.sha256"), PROVENANCE, src);
        }
        byte[] net = entries.get(NETWORK);
        checkHash(net, meta.get("network.sha256"), NETWORK, src);

        List<Lead> leads = new ArrayList<>();
        for (String l : meta.get("leads").split(",")) {
            leads.add(Lead.valueOf(l));
        }
        int classes = Integer.parseInt(meta.get("classes").strip());
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        double[] thresholds = new double[classes];
        for (int c = 0; c < classes; c++) {
            String name = meta.get("class." + c + ".name");
            Integer before = seen.putIfAbsent(name, c);
            if (before != null) {
                throw src.fail("fields 'class." + before + ".name' and 'class." + c + ".name' are both '"
                        + shorten(name) + "'; class names must be distinct");
            }
            names.add(name);
            thresholds[c] = Double.parseDouble(meta.get("class." + c + ".threshold"));
        }
        Map<String, String> provMap = new TreeMap<>(properties(entries.get(PROVENANCE), PROVENANCE, src));
        if (!kind.equals(provMap.get("stage"))) {
            throw src.fail(PROVENANCE + " has stage '" + shorten(String.valueOf(provMap.get("stage")))
                    + "', expected '" + kind + "' as " + META + " says");
        }
        Map<String, Object> backbone = new LinkedHashMap<>();
        new TreeMap<>(meta).forEach((key, v) -> {
            if (key.startsWith("backbone.")) {
                backbone.put(key.substring("backbone.".length()), v);
            }
        });
        int featureDim = Integer.parseInt(meta.get("featureDim").strip());
        int length = Integer.parseInt(meta.get("length").strip());
        EcgNetwork network;
        try {
            network = EcgNetwork.read(new ByteArrayInputStream(net), meta.get("architecture"), backbone, featureDim);
        } catch (IOException | RuntimeException e) {
            throw src.fail("entry " + NETWORK + " cannot be read as a network (" + e + ")", e);
        }
        checkNetwork(network, leads, classes, featureDim, length, src);
        return new TrainedModel(kind, network, leads, LabelSet.of(names), thresholds,
                new Standardizer(Double.parseDouble(meta.get("standardize.mean")),
                        Double.parseDouble(meta.get("standardize.std"))),
                Double.parseDouble(meta.get("samplingRate")), length, Provenance.of(provMap),
                readCalibration(meta, classes, src));
    }

    // Calibration temperatures (see Calibration), kept in this one block: key "class.<c>.temperature" for each class
    // c, a number in [Calibration.MIN_TEMPERATURE, Calibration.MAX_TEMPERATURE] (0.1 to 10; the FIELDS row checks
    // the range). Either every class has one or none has: files written before calibration existed have none and
    // load uncalibrated (T = 1); some but not all is damage and refused.

    private static void writeCalibration(Map<String, String> meta, double[] temperatures) {
        for (int c = 0; c < temperatures.length; c++) {
            meta.put("class." + c + ".temperature", String.valueOf(temperatures[c]));
        }
    }

    private static double[] readCalibration(Map<String, String> meta, int classes, Source src) {
        double[] t = Calibration.identity(classes);
        int present = 0;
        for (int c = 0; c < classes; c++) {
            present += meta.get("class." + c + ".temperature") == null ? 0 : 1;
        }
        if (present == 0) {
            return t;
        }
        for (int c = 0; c < classes; c++) {
            String v = meta.get("class." + c + ".temperature");
            if (v == null) {
                throw src.fail(META + " lacks field 'class." + c + ".temperature' (" + present + " of " + classes
                        + " classes have a calibration temperature; all or none must)");
            }
            t[c] = Double.parseDouble(v);
        }
        return t;
    }

    /**
     * The three entries, each read up to its bound; anything else in the zip is refused. {@code header} checks the
     * first entry as soon as it is read, so that another format or version is named as such before its entries are.
     */
    private static Map<String, byte[]> entries(byte[] bytes, Source src,
                                               java.util.function.Consumer<byte[]> header) {
        Map<String, byte[]> entries = new HashMap<>();
        long networkCap = Math.min(MAX_FILE_BYTES, (long) MAX_NETWORK_EXPANSION * bytes.length);
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            while (true) {
                ZipEntry e;
                try {
                    e = zip.getNextEntry();
                } catch (IllegalArgumentException bad) {
                    // ZipInputStream's "malformed input": the name's bytes are not UTF-8.
                    throw src.fail("has a zip entry whose name is not UTF-8 (damaged file)", bad);
                }
                if (e == null) {
                    break;
                }
                String name = e.getName();
                if (entries.isEmpty() && !META.equals(name)) {
                    throw src.fail("not an mvkt model file (expected a zip whose first entry is " + META + ", found '"
                            + shorten(name) + "')");
                }
                if (!ENTRIES.contains(name)) {
                    throw src.fail("unexpected entry '" + shorten(name) + "' (an mvkt model file holds only "
                            + ENTRIES + ")");
                }
                if (entries.containsKey(name)) {
                    throw src.fail("entry '" + name + "' appears twice");
                }
                entries.put(name, readEntry(zip, name, NETWORK.equals(name) ? networkCap : MAX_PROPERTIES_BYTES,
                        bytes.length, src));
                if (entries.size() == 1) {
                    header.accept(entries.get(META));
                }
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // All in memory, so any failure here is the zip's: a bad header, a truncated entry, a name that is not
            // UTF-8 (IllegalArgumentException "malformed input").
            throw src.fail("corrupt or truncated mvkt model file (" + e + ")", e);
        }
        if (entries.isEmpty()) {
            throw src.fail("not an mvkt model file (expected a zip whose first entry is " + META
                    + ", found no zip entries)");
        }
        for (String name : ENTRIES) {
            if (!entries.containsKey(name)) {
                throw src.fail("missing entry " + name);
            }
        }
        return entries;
    }

    private static byte[] readEntry(ZipInputStream zip, String name, long cap, long fileBytes, Source src)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = zip.read(buf)) != -1) {
            total += n;
            if (total > cap) {
                throw src.fail("entry '" + name + "' expands to more than " + cap + " bytes, more than a " + fileBytes
                        + "-byte mvkt model file can hold");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * A properties entry as a map, refusing text that is not UTF-8 and a key given twice (Properties would keep the
     * last one silently).
     */
    private static Map<String, String> properties(byte[] data, String entry, Source src) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            throw src.fail(entry + " is not UTF-8 text", e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        Properties p = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                if (out.putIfAbsent((String) key, (String) value) != null) {
                    throw src.fail(entry + " has key '" + shorten((String) key) + "' twice");
                }
                return super.put(key, value);
            }
        };
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw src.fail(entry + " is not a readable properties file (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** Format, version and kind, first, so that another file or version is named as such. Returns the version. */
    private static int checkHeader(Map<String, String> meta, Source src, String expectedKind) {
        String format = meta.get("format");
        if (!FORMAT.equals(format)) {
            throw src.fail(META + " has format '" + shorten(String.valueOf(format)) + "', expected '" + FORMAT + "'");
        }
        String v = require(meta, "formatVersion", src);
        int version;
        try {
            version = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw src.fail("field 'formatVersion' is not an integer: '" + shorten(v) + "'");
        }
        if (version < OLDEST_READABLE_VERSION || version > FORMAT_VERSION) {
            throw src.fail("format version " + version + " is not supported (this mvkt reads versions "
                    + OLDEST_READABLE_VERSION + " to " + FORMAT_VERSION + ")");
        }
        String kind = require(meta, "kind", src);
        check(field("kind", new int[1]), "kind", kind, src);
        if (!kind.equals(expectedKind)) {
            throw src.fail("holds a " + kind + ", not a " + expectedKind);
        }
        return version;
    }

    /** Every present field is known and in range, every required one is present, class fields stop at classes. */
    private static void checkFields(Map<String, String> meta, int version, Source src) {
        String classesValue = require(meta, "classes", src);
        check(field("classes", new int[1]), "classes", classesValue, src);
        int classes = Integer.parseInt(classesValue.strip());
        for (Map.Entry<String, String> e : meta.entrySet()) {
            int[] index = {-1};
            Field f = field(e.getKey(), index);
            if (f == null) {
                throw src.fail(META + " has unknown field '" + shorten(e.getKey()) + "'");
            }
            if (f.key.contains("#") && index[0] >= classes) {
                throw src.fail(META + " has field '" + e.getKey() + "' but classes=" + classes);
            }
            check(f, e.getKey(), e.getValue(), src);
        }
        for (Field f : FIELDS) {
            if (!f.required || f.since > version) {
                continue;
            }
            if (f.key.contains("#")) {
                for (int c = 0; c < classes; c++) {
                    require(meta, f.key.replace("#", String.valueOf(c)), src);
                }
            } else {
                require(meta, f.key, src);
            }
        }
    }

    private static void check(Field f, String key, String value, Source src) {
        String violation = f.rule.violation(value);
        if (violation != null) {
            throw src.fail("field '" + key + "' is '" + shorten(value) + "'; it must be " + violation);
        }
    }

    private static String require(Map<String, String> meta, String key, Source src) {
        String v = meta.get(key);
        if (v == null || v.isBlank()) {
            throw src.fail(META + " lacks field '" + key + "'");
        }
        return v;
    }

    private static void checkHash(byte[] data, String recorded, String entry, Source src) {
        if (!sha256(data).equals(recorded)) {
            throw src.fail(entry + " does not match its recorded SHA-256 (file damaged or edited)");
        }
    }

    /** The network reads the recorded leads and, on one zero window, gives finite outputs of the recorded sizes. */
    private static void checkNetwork(EcgNetwork network, List<Lead> leads, int classes, int featureDim, int length,
                                     Source src) {
        if (network.inputLeads() != leads.size()) {
            throw src.fail("field 'leads' names " + leads.size() + " lead(s) but " + NETWORK + " reads "
                    + network.inputLeads());
        }
        EcgNetwork.Outputs out;
        try {
            out = network.output(Nd4j.zeros(DataType.FLOAT, 1, leads.size(), length, 1));
        } catch (RuntimeException e) {
            throw src.fail(NETWORK + " does not run on one window of " + length + " samples (" + e + ")", e);
        }
        checkOutput(out.logits(), classes, "classes", src);
        checkOutput(out.features(), featureDim, "featureDim", src);
    }

    private static void checkOutput(INDArray a, int expected, String field, Source src) {
        if (a.rank() != 2 || a.size(1) != expected) {
            throw src.fail("field '" + field + "' is " + expected + " but " + NETWORK + " gives "
                    + java.util.Arrays.toString(a.shape()));
        }
        for (double v : a.castTo(DataType.DOUBLE).toDoubleVector()) {
            if (!Double.isFinite(v)) {
                throw src.fail(NETWORK + " gives non-finite outputs (" + v + ") for a zero window");
            }
        }
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
