package dev.mvkt.core;

import com.google.common.hash.Hashing;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Provenance;
import dev.mvkt.backbones.EcgNetwork;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The {@code .mvkt} file: a zip whose first entry {@code mvkt-model.properties} identifies it, then
 * {@code provenance.properties} and {@code network.bin} (DL4J's ModelSerializer form, without optimiser state).
 * The network's SHA-256 is recorded so that a damaged file is refused rather than silently mispredicting.
 */
final class ModelFiles {
    static final String FORMAT = "mvkt-model";
    /** 2: convolutions run along the width ({@code (1, k)} kernels), so version-1 weights do not fit. */
    static final int FORMAT_VERSION = 2;
    private static final String META = "mvkt-model.properties";
    private static final String PROVENANCE = "provenance.properties";
    private static final String NETWORK = "network.bin";

    private ModelFiles() {
    }

    /** Writes atomically: a temporary file in the same directory, renamed when complete. */
    static void write(TrainedModel m, Path path) throws IOException {
        ByteArrayOutputStream net = new ByteArrayOutputStream();
        m.network().write(net, false);
        byte[] netBytes = net.toByteArray();

        Properties meta = new Properties();
        meta.setProperty("format", FORMAT);
        meta.setProperty("formatVersion", String.valueOf(FORMAT_VERSION));
        meta.setProperty("kind", m.kind());
        meta.setProperty("architecture", m.network().architecture());
        meta.setProperty("featureDim", String.valueOf(m.network().featureDim()));
        m.network().config().forEach((k, v) -> meta.setProperty("backbone." + k, String.valueOf(v)));
        List<String> leadNames = new ArrayList<>();
        m.leads().forEach(l -> leadNames.add(l.name()));
        meta.setProperty("leads", String.join(",", leadNames));
        meta.setProperty("classes", String.valueOf(m.labels().size()));
        for (int c = 0; c < m.labels().size(); c++) {
            meta.setProperty("class." + c + ".name", m.labels().name(c));
            meta.setProperty("class." + c + ".threshold", String.valueOf(m.thresholds()[c]));
        }
        meta.setProperty("samplingRate", String.valueOf(m.samplingRate()));
        meta.setProperty("length", String.valueOf(m.length()));
        meta.setProperty("standardize.mean", String.valueOf(m.standardizer().mean()));
        meta.setProperty("standardize.std", String.valueOf(m.standardizer().std()));
        meta.setProperty("network.sha256", Hashing.sha256().hashBytes(netBytes).toString());
        writeCalibration(meta, m.temperatures());
        Properties prov = new Properties();
        m.provenance().entries().forEach(prov::setProperty);

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(file)) {
            put(zip, META, props(meta));
            put(zip, PROVENANCE, props(prov));
            put(zip, NETWORK, netBytes);
        }
        AtomicFiles.write(path, file.toByteArray());
    }

    /**
     * @param expectedKind "teacher" or "student"
     * @throws ModelFormatException naming the file and what is wrong with it
     */
    static TrainedModel read(Path path, String expectedKind) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        String first = null;
        try (InputStream in = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (first == null) {
                    first = e.getName();
                }
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such mvkt model file");
        } catch (ZipException | java.io.EOFException e) {
            throw new ModelFormatException(path + ": corrupt or truncated mvkt model file (" + e.getMessage() + ")");
        }
        if (first == null || !META.equals(first)) {
            throw new ModelFormatException(path + ": not an mvkt model file (expected a zip whose first entry is "
                    + META + ", found " + (first == null ? "no zip entries" : "'" + first + "'") + ")");
        }
        Properties meta = load(entries.get(META));
        String format = meta.getProperty("format");
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException(path + ": " + META + " has format '" + format + "', expected '" + FORMAT
                    + "'");
        }
        int version = intField(path, meta, "formatVersion");
        if (version != FORMAT_VERSION) {
            throw new ModelFormatException(path + ": format version " + version + " is not supported (this mvkt "
                    + "reads version " + FORMAT_VERSION + ")");
        }
        String kind = field(path, meta, "kind");
        if (!kind.equals(expectedKind)) {
            throw new ModelFormatException(path + ": holds a " + kind + ", not a " + expectedKind);
        }
        byte[] net = entries.get(NETWORK);
        if (net == null) {
            throw new ModelFormatException(path + ": missing entry " + NETWORK);
        }
        String sha = Hashing.sha256().hashBytes(net).toString();
        if (!sha.equals(field(path, meta, "network.sha256"))) {
            throw new ModelFormatException(path + ": " + NETWORK + " does not match its recorded SHA-256 (file "
                    + "damaged or edited)");
        }
        List<Lead> leads = new ArrayList<>();
        for (String l : field(path, meta, "leads").split(",")) {
            try {
                leads.add(Lead.valueOf(l));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(path + ": field 'leads' has unknown lead '" + l + "'");
            }
        }
        int classes = intField(path, meta, "classes");
        List<String> names = new ArrayList<>();
        double[] thresholds = new double[classes];
        for (int c = 0; c < classes; c++) {
            names.add(field(path, meta, "class." + c + ".name"));
            thresholds[c] = doubleField(path, meta, "class." + c + ".threshold");
        }
        Map<String, Object> backbone = new LinkedHashMap<>();
        new TreeMap<>(meta).forEach((k, v) -> {
            String key = (String) k;
            if (key.startsWith("backbone.")) {
                backbone.put(key.substring("backbone.".length()), v);
            }
        });
        EcgNetwork network;
        try {
            network = EcgNetwork.read(new ByteArrayInputStream(net), field(path, meta, "architecture"), backbone,
                    intField(path, meta, "featureDim"));
        } catch (RuntimeException e) {
            throw new ModelFormatException(path + ": the network entry cannot be read (" + e.getMessage() + ")");
        }
        Properties prov = load(entries.getOrDefault(PROVENANCE, new byte[0]));
        Map<String, String> provMap = new TreeMap<>();
        prov.forEach((k, v) -> provMap.put((String) k, (String) v));
        return new TrainedModel(kind, network, leads, LabelSet.of(names), thresholds,
                new Standardizer(doubleField(path, meta, "standardize.mean"),
                        doubleField(path, meta, "standardize.std")),
                doubleField(path, meta, "samplingRate"), intField(path, meta, "length"), Provenance.of(provMap),
                readCalibration(path, meta, classes));
    }

    // Calibration temperatures (see Calibration), kept in this one block: key "class.<c>.temperature" for each class
    // c, a number in [Calibration.MIN_TEMPERATURE, Calibration.MAX_TEMPERATURE] (0.1 to 10). Either every class has
    // one or none has: files written before calibration existed have none and load uncalibrated (T = 1); some but
    // not all is damage and refused.

    private static void writeCalibration(Properties meta, double[] temperatures) {
        for (int c = 0; c < temperatures.length; c++) {
            meta.setProperty("class." + c + ".temperature", String.valueOf(temperatures[c]));
        }
    }

    private static double[] readCalibration(Path path, Properties meta, int classes) {
        double[] t = Calibration.identity(classes);
        int present = 0;
        for (int c = 0; c < classes; c++) {
            present += meta.getProperty("class." + c + ".temperature") == null ? 0 : 1;
        }
        if (present == 0) {
            return t;
        }
        for (int c = 0; c < classes; c++) {
            t[c] = doubleField(path, meta, "class." + c + ".temperature");
            if (!Calibration.valid(t[c])) {
                throw new ModelFormatException(path + ": field 'class." + c + ".temperature' is " + t[c]
                        + "; expected a number in [" + Calibration.MIN_TEMPERATURE + ", "
                        + Calibration.MAX_TEMPERATURE + "]");
            }
        }
        return t;
    }

    private static String field(Path path, Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new ModelFormatException(path + ": " + META + " lacks field '" + key + "'");
        }
        return v;
    }

    private static int intField(Path path, Properties p, String key) {
        try {
            return Integer.parseInt(field(path, p, key));
        } catch (NumberFormatException e) {
            throw new ModelFormatException(path + ": field '" + key + "' is not an integer: " + p.getProperty(key));
        }
    }

    private static double doubleField(Path path, Properties p, String key) {
        try {
            return Double.parseDouble(field(path, p, key));
        } catch (NumberFormatException e) {
            throw new ModelFormatException(path + ": field '" + key + "' is not a number: " + p.getProperty(key));
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
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

    private static Properties load(byte[] data) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(new String(data, StandardCharsets.UTF_8)));
        return p;
    }
}
