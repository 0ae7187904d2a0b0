package dev.mvkt.datasets;

import dev.mvkt.api.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded, bounded fuzzing corpus for the CinC and CPSC2018 loaders. It takes a CinC WFDB record (header and MAT v4
 * signal file), a CPSC2018 MAT v5 record (as stored, compressed, and re-stored uncompressed so that damage reaches
 * the element tags) and its REFERENCE.csv (the real files from {@code ../shared/data} when present, generated ones
 * otherwise), applies {@link #CASES} deterministic corruptions (truncation, bit flips, byte runs, header fields set to
 * huge, negative, NaN or garbage numbers, byte-order marks, invalid UTF-8, deleted companion files, absurd sample
 * values), and loads each copy in its own folder under a per-case timeout.
 *
 * <p>Every outcome must be a typed error ({@link IOException}, normally {@link EcgFormatException}) whose message
 * names a file of the case, or a load whose every sample is finite and within {@link Signals#MAX_ABS_MV}. A quarter of
 * the cases first build the cache from the intact copy and then corrupt it: the second build in the same cache folder
 * must agree with a build in a fresh one (a stale cache would hand out the intact samples). Anything else (an
 * unchecked exception, an error such as OutOfMemoryError, a hang, a stale cache) is counted as "other", and there must
 * be none. The counts are printed for the record.
 */
class LoaderCorpusTest {
    static final long SEED = 16;
    static final int CASES = 360;
    static final long CASE_TIMEOUT_S = 20;
    static final String[] NUMBERS = {"99999999999999999999", "2147483647", "2147483648", "1e400", "1e308",
        "1e39", "-1", "-2147483648", "-1e300", "NaN", "nan", "Infinity", "-Infinity", "0", "0.0", "1e-300", "x",
        "", "1e", "+", "0x10", "16x1+99999999999999999999", "40000", "1000", "250", "1500", "12", "1", "-0"};

    @TempDir
    Path tmp;

    /** The intact inputs: CinC header + signal file, CPSC .mat (compressed and not) and REFERENCE.csv. */
    private record Sources(String cincName, byte[] hea, byte[] cincMat, String cincExt, byte[] cpscMat,
            byte[] cpscRaw, byte[] reference) {
    }

    private Sources sources() throws IOException {
        Path data = Fixtures.sharedData();
        if (data != null) {
            Path cinc = data.resolve("ecg-samples/cinc2021");
            Path cpsc = data.resolve("ecg-samples/cpsc2018");
            byte[] mat = Files.readAllBytes(cpsc.resolve("A1980.mat"));
            return new Sources("HR06000", Files.readAllBytes(cinc.resolve("HR06000.hea")),
                    Files.readAllBytes(cinc.resolve("HR06000.mat")), ".mat", mat, LoaderDefectsTest.uncompressed(mat),
                    (Cpsc2018Test.HEADER + "A1980,6,,\n").getBytes(StandardCharsets.UTF_8));
        }
        System.out.println("LoaderCorpusTest: " + Fixtures.SKIP + "; corrupting generated records instead");
        Path gen = Files.createDirectories(tmp.resolve("generated"));
        LoaderDefectsTest.cincRecord(gen, "G0", 500, Fixtures.digital(7, 12, 5000));
        Cpsc2018Test.writeMat(gen.resolve("A1980.mat"), 12, 7500, null);
        byte[] mat = Files.readAllBytes(gen.resolve("A1980.mat"));
        return new Sources("G0", Files.readAllBytes(gen.resolve("G0.hea")), Files.readAllBytes(gen.resolve("G0.dat")),
                ".dat", mat, LoaderDefectsTest.uncompressed(mat),
                (Cpsc2018Test.HEADER + "A1980,6,,\n").getBytes(StandardCharsets.UTF_8));
    }

    /** One corrupted copy: what was done, and the files to write (null content deletes the file). */
    private record Case(String description, boolean cinc, List<String> names, List<byte[]> contents) {
    }

    @Test
    void everyCorruptionIsATypedErrorOrAPlausibleLoad() throws Exception {
        Sources src = sources();
        SplittableRandom rng = new SplittableRandom(SEED);
        int typed = 0;
        int accepted = 0;
        List<String> other = new ArrayList<>();
        int[] kinds = new int[2];
        ExecutorService pool = Executors.newSingleThreadExecutor(daemon());
        long start = System.nanoTime();
        try {
            for (int i = 0; i < CASES; i++) {
                Case c = corrupt(src, i, rng);
                kinds[c.cinc() ? 0 : 1]++;
                Path dir = Files.createDirectories(tmp.resolve(String.format(Locale.ROOT, "case%03d", i)));
                boolean staleCheck = i % 4 == 0;
                write(dir, src, c.cinc());
                if (staleCheck) {
                    Outcome first = run(pool, () -> load(dir, c.cinc(), dir.resolve("cacheA")));
                    if (!first.ok()) {
                        other.add(c.description() + ": the intact copy does not load: " + first.detail());
                        continue;
                    }
                }
                apply(dir, c);
                Outcome o = run(pool, () -> load(dir, c.cinc(), dir.resolve("cacheA")));
                if (o.hung()) {
                    other.add(c.description() + ": no result after " + CASE_TIMEOUT_S + " s");
                    pool.shutdownNow();
                    pool = Executors.newSingleThreadExecutor(daemon());
                    continue;
                }
                String problem = o.problem(dir);
                if (problem == null && staleCheck) {
                    Outcome fresh = run(pool, () -> load(dir, c.cinc(), dir.resolve("cacheB")));
                    if (o.ok() != fresh.ok() || o.ok() && !Arrays.deepEquals(o.samples(), fresh.samples())) {
                        problem = "stale cache: the rebuild in the first cache folder gives " + o.detail()
                                + ", a fresh build gives " + fresh.detail();
                    }
                }
                if (problem != null) {
                    other.add(c.description() + ": " + problem);
                } else if (o.ok()) {
                    accepted++;
                } else {
                    typed++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "LoaderCorpusTest: %d cases (seed %d; %d CinC WFDB, %d CPSC2018) in %.1f s: "
                + "%d typed error, %d accepted, %d other%n", CASES, SEED, kinds[0], kinds[1], seconds, typed,
                accepted, other.size());
        other.forEach(s -> System.out.println("  other: " + s));
        assertEquals(List.of(), other, "every case must end in a typed error or a plausible load");
        assertEquals(CASES, typed + accepted);
        assertTrue(typed > CASES / 4 && accepted > 0, "the corpus should exercise both outcomes: " + typed
                + " typed, " + accepted + " accepted");
    }

    // ---------------------------------------------------------------- the corruptions

    private Case corrupt(Sources s, int i, SplittableRandom rng) {
        boolean cinc = rng.nextBoolean();
        int op = rng.nextInt(cinc ? 10 : 9);
        String hea = s.cincName() + ".hea";
        String sig = s.cincName() + s.cincExt();
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        String d;
        if (cinc) {
            switch (op) {
                case 0 -> {
                    int at = rng.nextInt(s.cincMat().length);
                    d = "truncate " + sig + " to " + at;
                    names.add(sig);
                    contents.add(Arrays.copyOf(s.cincMat(), at));
                }
                case 1, 2 -> {
                    byte[] b = s.cincMat().clone();
                    d = flip(b, rng, op == 1 ? 32 : b.length) + " in " + sig;
                    names.add(sig);
                    contents.add(b);
                }
                case 3 -> {
                    byte[] b = s.cincMat().clone();
                    d = overwrite(b, rng) + " in " + sig;
                    names.add(sig);
                    contents.add(b);
                }
                case 4, 5 -> {
                    String[] r = headerEdit(new String(s.hea(), StandardCharsets.ISO_8859_1), rng);
                    d = r[0];
                    names.add(hea);
                    contents.add(r[1].getBytes(StandardCharsets.ISO_8859_1));
                }
                case 6 -> {
                    byte[] b = s.hea().clone();
                    d = rng.nextBoolean() ? flip(b, rng, b.length) + " in " + hea : "truncate " + hea;
                    names.add(hea);
                    contents.add(d.startsWith("truncate") ? Arrays.copyOf(b, rng.nextInt(b.length)) : b);
                }
                case 7 -> {
                    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
                    byte[] b = concat(bom, s.hea());
                    String[] r = rng.nextBoolean() ? null : headerEdit(new String(s.hea(),
                            StandardCharsets.ISO_8859_1), rng);
                    d = "byte-order mark before " + hea + (r == null ? "" : ", and " + r[0]);
                    names.add(hea);
                    contents.add(r == null ? b : concat(bom, r[1].getBytes(StandardCharsets.ISO_8859_1)));
                }
                case 9 -> {
                    int[] lengths = {0, 1, 2, 3, 999, 1000, 2999};
                    int k = lengths[rng.nextInt(lengths.length)];
                    String[] rates = {"500", "1000", "1500", "10000", "20000"};
                    String fs = rates[rng.nextInt(rates.length)];
                    d = "shrink to " + k + " consistent samples at " + fs + " Hz";
                    byte[][] r = shrink(s, k, fs);
                    names.add(hea);
                    contents.add(r[0]);
                    names.add(sig);
                    contents.add(r[1]);
                }
                default -> {
                    boolean header = rng.nextInt(4) == 0;
                    d = "delete " + (header ? hea : sig);
                    names.add(header ? hea : sig);
                    contents.add(null);
                }
            }
        } else {
            boolean raw = rng.nextBoolean();
            byte[] mat = raw ? s.cpscRaw() : s.cpscMat();
            String form = raw ? " (uncompressed)" : "";
            String m = "A1980.mat";
            switch (op) {
                case 0 -> {
                    int at = rng.nextInt(mat.length);
                    d = "truncate " + m + form + " to " + at;
                    names.add(m);
                    contents.add(Arrays.copyOf(mat, at));
                }
                case 1, 2 -> {
                    byte[] b = mat.clone();
                    d = flip(b, rng, op == 1 ? Math.min(b.length, 512) : b.length) + " in " + m + form;
                    names.add(m);
                    contents.add(b);
                }
                case 3 -> {
                    byte[] b = mat.clone();
                    d = overwrite(b, rng) + " in " + m + form;
                    names.add(m);
                    contents.add(b);
                }
                case 4 -> {
                    // A sample of ECG.data (stored last, as doubles) set to an absurd or non-float value.
                    byte[] b = s.cpscRaw().clone();
                    double[] values = {1e39, -1e39, 1.6e308, Double.NaN, Double.POSITIVE_INFINITY, 500, -150, 99,
                        1e-300};
                    double v = values[rng.nextInt(values.length)];
                    int k = 1 + rng.nextInt(12 * 1000);
                    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(b.length - 8 * k, v);
                    d = "sample " + k + " from the end of " + m + " (uncompressed) set to " + v;
                    names.add(m);
                    contents.add(b);
                }
                case 5, 6 -> {
                    String[] r = csvEdit(new String(s.reference(), StandardCharsets.UTF_8), rng);
                    d = r[0];
                    names.add("REFERENCE.csv");
                    contents.add(r[1].getBytes(StandardCharsets.UTF_8));
                }
                case 7 -> {
                    byte[] b = s.reference().clone();
                    int at = rng.nextInt(b.length);
                    byte[] bad = {(byte) 0xFF, (byte) 0xC3, (byte) 0xE2, (byte) 0x80, 0};
                    b[at] = bad[rng.nextInt(bad.length)];
                    d = "REFERENCE.csv byte " + at + " set to 0x" + Integer.toHexString(b[at] & 0xFF);
                    names.add("REFERENCE.csv");
                    contents.add(rng.nextBoolean() ? b : concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                            b));
                }
                default -> {
                    boolean ref = rng.nextInt(4) == 0;
                    d = "delete " + (ref ? "REFERENCE.csv" : m);
                    names.add(ref ? "REFERENCE.csv" : m);
                    contents.add(null);
                }
            }
            if (raw && !names.contains(m)) {
                names.add(m);
                contents.add(mat);
            }
        }
        return new Case("case " + i + " (" + (cinc ? "CinC" : "CPSC") + "): " + d, cinc,
                names, contents);
    }

    /**
     * The record cut to its first {@code k} frames at rate {@code fs}, with the header's length, initial values and
     * checksums (and a MAT v4 file's column count) made to agree: a valid short record, like those that once made
     * the CinC loader tile an empty signal forever.
     */
    private static byte[][] shrink(Sources s, int k, String fs) {
        String[] lines = new String(s.hea(), StandardCharsets.ISO_8859_1).split("\n", -1);
        String[] rec = lines[0].split(" ");
        rec[2] = fs;
        rec[3] = String.valueOf(k);
        lines[0] = String.join(" ", rec);
        int offset = s.cincExt().equals(".mat") ? 24 : 0;
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(s.cincMat()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int sig = 0; sig < 12; sig++) {
            String[] t = lines[1 + sig].split(" ");
            int sum = 0;
            for (int i = 0; i < k; i++) {
                sum += in.getShort(offset + (i * 12 + sig) * 2);
            }
            t[5] = String.valueOf(k > 0 ? in.getShort(offset + sig * 2) : 0);
            t[6] = String.valueOf((short) sum);
            lines[1 + sig] = String.join(" ", t);
        }
        byte[] mat = Arrays.copyOf(s.cincMat(), offset + k * 24);
        if (offset > 0) {
            java.nio.ByteBuffer.wrap(mat).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, k);
        }
        return new byte[][] {String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1), mat};
    }

    private static String flip(byte[] b, SplittableRandom rng, int range) {
        int n = 1 + rng.nextInt(8);
        StringBuilder sb = new StringBuilder("flip bits");
        for (int k = 0; k < n; k++) {
            int at = rng.nextInt(range);
            int bit = rng.nextInt(8);
            b[at] ^= (byte) (1 << bit);
            sb.append(' ').append(at).append('.').append(bit);
        }
        return sb.toString();
    }

    private static String overwrite(byte[] b, SplittableRandom rng) {
        int at = rng.nextInt(b.length);
        int len = Math.min(b.length - at, 1 + rng.nextInt(64));
        int fill = rng.nextInt(4);
        for (int k = at; k < at + len; k++) {
            b[k] = (byte) (fill == 0 ? 0 : fill == 1 ? 0xFF : fill == 2 ? 0x7F : rng.nextInt(256));
        }
        return "overwrite " + len + " bytes at " + at + " with " + (fill == 0 ? "0x00" : fill == 1 ? "0xFF"
                : fill == 2 ? "0x7F" : "random bytes");
    }

    /** One whitespace-separated field of the header's record line or a signal line set to a chosen number. */
    private static String[] headerEdit(String text, SplittableRandom rng) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int line = rng.nextInt(4) == 0 ? 0 : 1 + rng.nextInt(12);
        String[] t = lines.get(line).split(" ");
        int field = rng.nextInt(t.length);
        String value = NUMBERS[rng.nextInt(NUMBERS.length)];
        if (line > 0 && field == 2 && rng.nextBoolean()) {
            // Keep the gain field's shape and damage only the gain or the baseline.
            value = rng.nextBoolean() ? value + "(0)/mV" : "1000.0(" + value + ")/mV";
        } else if (line > 0 && field == 1 && rng.nextBoolean()) {
            value = "16x1+" + value; // the byte offset
        }
        t[field] = value;
        lines.set(line, String.join(" ", t));
        return new String[] {"header line " + (line + 1) + " field " + (field + 1) + " set to '" + value + "'",
            String.join("\n", lines)};
    }

    /** A field of the reference's data row set to a chosen value, or the row doubled, or the header dropped. */
    private static String[] csvEdit(String text, SplittableRandom rng) {
        String[] lines = text.split("\n", -1);
        int what = rng.nextInt(4);
        if (what == 0) {
            return new String[] {"REFERENCE.csv row repeated", text + lines[1] + "\n"};
        }
        if (what == 1) {
            return new String[] {"REFERENCE.csv without its header", lines[1] + "\n"};
        }
        String[] t = lines[1].split(",", -1);
        int field = rng.nextInt(t.length);
        String[] values = {"../A1980", "A1980\u0000", "", "10", "0", "-1", "NaN", "99999999999999999999", "\"",
            "A1980/..", "1e400", "A1981"};
        t[field] = values[rng.nextInt(values.length)];
        lines[1] = String.join(",", t);
        return new String[] {"REFERENCE.csv field " + (field + 1) + " set to '" + t[field] + "'",
            String.join("\n", lines)};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---------------------------------------------------------------- running a case

    /** The intact files of one loader. */
    private static void write(Path dir, Sources s, boolean cinc) throws IOException {
        if (cinc) {
            Files.write(dir.resolve(s.cincName() + ".hea"), s.hea());
            Files.write(dir.resolve(s.cincName() + s.cincExt()), s.cincMat());
        } else {
            Files.write(dir.resolve("A1980.mat"), s.cpscMat());
            Files.write(dir.resolve("REFERENCE.csv"), s.reference());
        }
    }

    /** The case's damage: only its own files are rewritten or deleted, the others keep their time stamps. */
    private static void apply(Path dir, Case c) throws IOException {
        for (int k = 0; k < c.names().size(); k++) {
            Path p = dir.resolve(c.names().get(k));
            if (c.contents().get(k) == null) {
                Files.deleteIfExists(p);
            } else {
                Files.write(p, c.contents().get(k));
            }
        }
    }

    /** Loads the case's folder; returns every record's samples in split order. */
    private static float[][][] load(Path dir, boolean cinc, Path cache) throws IOException {
        List<Split> splits;
        if (cinc) {
            Cinc ds = Cinc.builder().setRoot(dir).optCacheDir(cache).build();
            splits = List.of(ds.train(), ds.val(), ds.test());
        } else {
            Cpsc2018 ds = Cpsc2018.builder().setRoot(dir).optLength(5000).optCacheDir(cache).build();
            splits = List.of(ds.train(), ds.val(), ds.test());
        }
        List<float[][]> out = new ArrayList<>();
        for (Split s : splits) {
            for (int i = 0; i < s.size(); i++) {
                out.add(s.record(i).signal());
            }
        }
        return out.toArray(new float[0][][]);
    }

    @FunctionalInterface
    private interface Loader {
        float[][][] load() throws IOException;
    }

    /** What one load did: samples, a thrown exception or error, or no answer in time. */
    private record Outcome(float[][][] samples, Throwable thrown, boolean hung) {
        boolean ok() {
            return samples != null;
        }

        String detail() {
            return ok() ? samples.length + " records" : hung ? "no result" : String.valueOf(thrown);
        }

        /** Null when acceptable: a typed error naming a file of the case, or finite samples within the limit. */
        String problem(Path dir) {
            if (thrown != null) {
                if (!(thrown instanceof IOException)) {
                    return "untyped " + thrown;
                }
                String msg = String.valueOf(thrown.getMessage());
                return msg.contains(dir.toString()) ? null : "message names no file of the case: " + thrown;
            }
            for (float[][] r : samples) {
                for (float[] lead : r) {
                    for (float v : lead) {
                        if (!Float.isFinite(v) || Math.abs(v) > Signals.MAX_ABS_MV) {
                            return "accepted a sample of " + v + " mV";
                        }
                    }
                }
            }
            return null;
        }
    }

    private static Outcome run(ExecutorService pool, Loader loader) throws InterruptedException {
        Future<float[][][]> f = pool.submit(loader::load);
        try {
            return new Outcome(f.get(CASE_TIMEOUT_S, TimeUnit.SECONDS), null, false);
        } catch (ExecutionException e) {
            return new Outcome(null, e.getCause(), false);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Outcome(null, null, true);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "loader-corpus");
            t.setDaemon(true);
            return t;
        };
    }
}
