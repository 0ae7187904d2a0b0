package dev.mvkt.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.mvkt.core.ModelZips.META;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded corpus of damaged model files (bit flips, truncations, edited property values with and without the hashes
 * recomputed, format-2 edits, duplicate and renamed entries). Every one must either be refused with a typed error
 * naming the file, or load as a model whose outputs equal the original's; nothing else (no untyped exception, no
 * silently different model) is allowed.
 */
class ModelFileCorpusTest {
    private static final long SEED = 20261205L;
    /** Values wrong for every numeric field, for the edits no hash protects. */
    private static final List<String> INVALID = List.of("NaN", "-1", "Infinity", "-Infinity", "", " ", "abc",
            "1e400", "-2147483649", "0x10", "1,5", "\u00e9", "1e-320");
    /** Plausible values too, for the edits the properties hash must catch. */
    private static final List<String> ANY = List.of("NaN", "-1", "0", "1", "2", "0.5", "250.0", "5000", "I", "II",
            "student", "teacher", "OTHER", "2147483647", "", "abc");

    @Test
    void everyDamagedFileIsRefusedNamingItOrLoadsUnchanged(@TempDir Path dir) throws IOException {
        Path original = dir.resolve("original.mvkt");
        TinyModels.student().save(original);
        byte[] bytes = Files.readAllBytes(original);
        List<ModelZips.Entry> entries = ModelZips.read(bytes);
        List<ModelZips.Entry> format2 = ModelZips.toFormat2(entries);
        List<String> keys = new ArrayList<>(ModelZips.props(ModelZips.entry(entries, META)).keySet());
        double[] reference = TinyModels.student().diagnose(TinyModels.leadII(), 100).probabilities();
        Random r = new Random(SEED);

        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] b = bytes.clone();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            cases.add(new Case("bit flip", b));
        }
        for (int i = 0; i < 25; i++) {
            cases.add(new Case("truncation", Arrays.copyOf(bytes, r.nextInt(bytes.length))));
        }
        for (int i = 0; i < 25; i++) {
            String key = keys.get(r.nextInt(keys.size()));
            String value = ANY.get(r.nextInt(ANY.size()));
            cases.add(new Case("edit, hash not updated", ModelZips.zip(
                    ModelZips.editMeta(entries, m -> m.put(key, value), false))));
        }
        // standardize.mean takes any finite number up to 1e30, so -1 or -2147483649 are valid edits there (with the
        // hash updated, a deliberate one that changes outputs); the invalid-value cases leave it out.
        keys.remove("standardize.mean");
        for (int i = 0; i < 25; i++) {
            String key = keys.get(r.nextInt(keys.size()));
            String value = INVALID.get(r.nextInt(INVALID.size()));
            cases.add(new Case("invalid value, hash updated", ModelZips.zip(
                    ModelZips.editMeta(entries, m -> m.put(key, value), true)), key + "=" + value));
        }
        List<String> keys2 = new ArrayList<>(ModelZips.props(ModelZips.entry(format2, META)).keySet());
        keys2.remove("standardize.mean");
        for (int i = 0; i < 25; i++) {
            String key = keys2.get(r.nextInt(keys2.size()));
            String value = INVALID.get(r.nextInt(INVALID.size()));
            cases.add(new Case("invalid value, format 2", ModelZips.zip(
                    ModelZips.editMeta(format2, m -> m.put(key, value), false)), key + "=" + value));
        }
        for (int i = 0; i < 15; i++) {
            List<ModelZips.Entry> base = r.nextBoolean() ? entries : format2;
            List<ModelZips.Entry> dup = new ArrayList<>(base);
            dup.add(1 + r.nextInt(dup.size()), base.get(r.nextInt(base.size())));
            cases.add(new Case("duplicate entry", ModelZips.zip(dup)));
        }
        List<String> renames = List.of("%s.bak", "x/%s", "%S", "%s ", "old-%s", "");
        for (int i = 0; i < 15; i++) {
            List<ModelZips.Entry> base = r.nextBoolean() ? entries : format2;
            List<ModelZips.Entry> renamed = new ArrayList<>(base);
            int at = r.nextInt(renamed.size());
            String pattern = renames.get(r.nextInt(renames.size()));
            String name = pattern.isEmpty() ? "?" : String.format(pattern, renamed.get(at).name());
            renamed.set(at, new ModelZips.Entry(name, renamed.get(at).data()));
            cases.add(new Case("renamed entry", ModelZips.zip(renamed)));
        }

        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Path f = dir.resolve("case" + i + ".mvkt");
            Files.write(f, c.bytes);
            String outcome;
            try {
                double[] p = Student.load(f).diagnose(TinyModels.leadII(), 100).probabilities();
                if (Arrays.equals(reference, p)) {
                    outcome = "loaded, same outputs";
                } else {
                    outcome = "LOADED WITH DIFFERENT OUTPUTS";
                    wrong.add(c.kind + " #" + i + " " + c.detail + ": " + Arrays.toString(p));
                }
            } catch (ModelFormatException | IOException e) {
                outcome = e.getClass().getSimpleName() + ": " + reason(e.getMessage());
                if (e.getMessage() == null || !e.getMessage().contains(f.toString())) {
                    wrong.add(c.kind + " #" + i + ": does not name the file: " + e);
                }
            } catch (RuntimeException | Error e) {
                outcome = "UNTYPED " + e.getClass().getSimpleName();
                wrong.add(c.kind + " #" + i + ": " + e);
            }
            outcomes.merge(c.kind + " -> " + outcome, 1, Integer::sum);
        }
        System.out.println("model-file corpus, seed " + SEED + ", " + cases.size() + " cases:");
        outcomes.forEach((k, v) -> System.out.printf("  %4d  %s%n", v, k));
        assertTrue(cases.size() >= 150, "corpus size " + cases.size());
        assertEquals(List.of(), wrong);
    }

    private record Case(String kind, byte[] bytes, String detail) {
        Case(String kind, byte[] bytes) {
            this(kind, bytes, "");
        }

    }

    /** The kind of refusal, from the message (for the counts only). */
    private static String reason(String message) {
        String m = String.valueOf(message);
        if (m.contains("SHA-256")) {
            return "checksum";
        }
        if (m.contains("field '") || m.contains("lacks field") || m.contains("fields '")) {
            return "field check";
        }
        if (m.contains("appears twice") || m.contains("unexpected entry") || m.contains("missing entry")
                || m.contains("not an mvkt model file") || m.contains("expands to more than")) {
            return "entry check";
        }
        if (m.contains("has format '") || m.contains("format version")) {
            return "header check";
        }
        if (m.contains("corrupt or truncated") || m.contains("not UTF-8")) {
            return "zip damage";
        }
        return "other: " + m.substring(m.indexOf(": ") + 2, Math.min(m.length(), m.indexOf(": ") + 60));
    }
}
