package dev.mvkt.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Takes model files apart and puts (damaged) ones together again, for the model-file tests. The checksums are
 * computed here from the format's description in docs/architecture.md, not with ModelFiles' own code.
 */
final class ModelZips {
    static final String META = "mvkt-model.properties";
    static final String PROVENANCE = "provenance.properties";
    static final String NETWORK = "network.bin";

    record Entry(String name, byte[] data) {
    }

    private ModelZips() {
    }

    static List<Entry> read(byte[] file) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(file))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                out.add(new Entry(e.getName(), z.readAllBytes()));
            }
        }
        return out;
    }

    static List<Entry> read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    /**
     * The entries, deflated, in this order. ZipOutputStream refuses a name twice, so a repeated name is written under
     * a same-length stand-in whose bytes are then patched back to the name.
     */
    static byte[] zip(List<Entry> entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Map<String, String> standIns = new TreeMap<>();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            List<String> names = new ArrayList<>();
            for (Entry e : entries) {
                String name = e.name();
                if (names.contains(name)) {
                    String standIn = name.substring(0, name.length() - 1) + (char) (1 + standIns.size());
                    standIns.put(standIn, name);
                    name = standIn;
                }
                names.add(e.name());
                z.putNextEntry(new ZipEntry(name));
                z.write(e.data());
                z.closeEntry();
            }
        }
        byte[] zip = b.toByteArray();
        for (var s : standIns.entrySet()) {
            byte[] from = s.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] to = s.getValue().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i + from.length <= zip.length; i++) {
                if (java.util.Arrays.equals(zip, i, i + from.length, from, 0, from.length)) {
                    System.arraycopy(to, 0, zip, i, to.length);
                }
            }
        }
        return zip;
    }

    static Path write(Path file, List<Entry> entries) throws IOException {
        Files.write(file, zip(entries));
        return file;
    }

    static byte[] entry(List<Entry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow().data();
    }

    static List<Entry> replace(List<Entry> entries, String name, byte[] data) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(e.name().equals(name) ? new Entry(name, data) : e);
        }
        return out;
    }

    static Map<String, String> props(byte[] data) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(new String(data, StandardCharsets.UTF_8)));
        Map<String, String> m = new TreeMap<>();
        p.forEach((k, v) -> m.put((String) k, (String) v));
        return m;
    }

    static byte[] props(Map<String, String> m) throws IOException {
        Properties p = new Properties();
        p.putAll(m);
        StringWriter w = new StringWriter();
        p.store(w, null);
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The entries with {@code edit} applied to the model properties; when {@code rehash}, the recorded hashes are
     * recomputed (as a careful editor would), so only the field checks stand between the edit and a loaded model.
     */
    static List<Entry> editMeta(List<Entry> entries, Consumer<Map<String, String>> edit, boolean rehash)
            throws IOException {
        Map<String, String> meta = props(entry(entries, META));
        edit.accept(meta);
        if (rehash) {
            meta.put("network.sha256", sha256(entry(entries, NETWORK)));
            if (meta.containsKey("provenance.sha256")) {
                meta.put("provenance.sha256", sha256(entry(entries, PROVENANCE)));
            }
            if (meta.containsKey("properties.sha256")) {
                meta.put("properties.sha256", propertiesSha256(meta));
            }
        }
        return replace(entries, META, props(meta));
    }

    /** The same model in format 2: no provenance or properties hash (the network is deflated by {@link #zip}). */
    static List<Entry> toFormat2(List<Entry> entries) throws IOException {
        return editMeta(entries, m -> {
            m.remove("provenance.sha256");
            m.remove("properties.sha256");
            m.put("formatVersion", "2");
        }, false);
    }

    /** docs/architecture.md: sorted keys, each key and value as a 4-byte big-endian UTF-8 length and the bytes. */
    static String propertiesSha256(Map<String, String> meta) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        for (var e : new TreeMap<>(meta).entrySet()) {
            if (e.getKey().equals("properties.sha256")) {
                continue;
            }
            for (String s : List.of(e.getKey(), e.getValue())) {
                byte[] u = s.getBytes(StandardCharsets.UTF_8);
                out.writeInt(u.length);
                out.write(u);
            }
        }
        out.flush();
        return sha256(b.toByteArray());
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
