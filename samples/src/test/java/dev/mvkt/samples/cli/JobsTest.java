package dev.mvkt.samples.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --jobs}: models trained side by side are the models trained one at a time, reported in the same order. */
class JobsTest {
    private static final List<String> TINY = List.of("experiment", "fractions", "--train", "24", "--val", "12",
            "--test", "12", "--epochs", "2", "--width", "2", "--batch-size", "12", "--bootstrap", "20", "--pool", "24",
            "--pretrain-epochs", "1", "--pretrain-batch", "8", "--fractions", "0.5,1", "--seeds", "0,1,2");

    private static String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(TINY);
        a.addAll(List.of(extra));
        a.addAll(List.of("--out", out.toString()));
        return a.toArray(String[]::new);
    }

    @Test
    void sideBySideGivesTheModelsOfADeterministicRunInTheSameOrder(@TempDir Path dir) throws Exception {
        Path inTurn = dir.resolve("in-turn");
        Path atOnce = dir.resolve("at-once");
        CliArgumentsTest.Outcome a = CliArgumentsTest.run(args(inTurn, "--deterministic"));
        assertEquals(0, a.code(), a.err());
        CliArgumentsTest.Outcome b = CliArgumentsTest.run(args(atOnce, "--jobs", "2"));
        assertEquals(0, b.code(), b.err());

        for (String seed : List.of("seed-0", "seed-1", "seed-2")) {
            JsonObject x = json(inTurn.resolve(seed).resolve("results.json"));
            JsonObject y = json(atOnce.resolve(seed).resolve("results.json"));
            assertEquals(x.get("figure5"), y.get("figure5"), seed);
            JsonArray mx = x.getAsJsonArray("models");
            JsonArray my = y.getAsJsonArray("models");
            assertEquals(mx.size(), my.size(), seed);
            assertEquals(11, mx.size(), seed + ": " + mx.size() + " models");
            for (int i = 0; i < mx.size(); i++) {
                JsonObject p = mx.get(i).getAsJsonObject();
                JsonObject q = my.get(i).getAsJsonObject();
                String id = p.get("id").getAsString();
                assertEquals(id, q.get("id").getAsString(), seed + " model " + i);
                for (String k : List.of("macroAuc", "macroAuc95ci", "accuracy", "macroF1", "perClass",
                        "calibration", "bestEpoch", "bestValAuc")) {
                    assertEquals(p.get(k), q.get(k), seed + " " + id + " " + k);
                }
                assertEquals(losses(p.getAsJsonArray("history")), losses(q.getAsJsonArray("history")), seed + " " + id);
            }
        }
        // The seeds' summary (paired differences, Figure 5 across seeds) is the same text, but for the command line.
        assertEquals(body(inTurn.resolve("report.md")), body(atOnce.resolve("report.md")));
        // Each seed's lines come whole and say which seed they belong to.
        for (String line : b.err().split("\\R")) {
            if (line.contains(" epoch ")) {
                assertTrue(line.matches("\\[seed [012]] \\S+ epoch \\d+/\\d+ .*"), line);
            }
        }
        assertTrue(!b.err().contains("\r"), "no progress bars redrawn in place");
        String prov = Files.readString(atOnce.resolve("seed-1/models/mvkt-f0.5.provenance.txt"));
        assertTrue(prov.contains("training.deterministic = true"), prov);
    }

    @Test
    void jobsBelowOneIsAUsageError(@TempDir Path out) {
        CliArgumentsTest.Outcome o = CliArgumentsTest.run(args(out, "--jobs", "0"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--jobs must be >= 1, was 0"), o.err());
    }

    @Test
    void aFailedJobFailsTheWaitWithItsOwnException() throws Exception {
        try (Jobs jobs = new Jobs(2)) {
            Future<Integer> ok = jobs.submit(() -> 7);
            Future<Integer> bad = jobs.submit(() -> {
                throw new IOException("record 3 of train.csv");
            });
            assertEquals(7, Jobs.await(ok));
            IOException e = assertThrows(IOException.class, () -> Jobs.await(bad));
            assertEquals("record 3 of train.csv", e.getMessage());
        }
    }

    @Test
    void noMoreJobsRunAtOnceThanPermitted() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(6);
        try (Jobs jobs = new Jobs(2)) {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fs.add(jobs.submit(() -> {
                    started.countDown();
                    int now = running.incrementAndGet();
                    most.accumulateAndGet(now, Math::max);
                    Thread.sleep(30);
                    running.decrementAndGet();
                    return now;
                }));
            }
            for (Future<Integer> f : fs) {
                Jobs.await(f);
            }
        }
        assertEquals(0, started.getCount());
        assertEquals(2, most.get());
    }

    @Test
    void linesOfTwoThreadsStayWhole() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream target = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream log = LogLines.to(target, "> ");
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            String name = "t" + t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    log.print(name + " part one, ");
                    log.print("part two ");
                    log.printf("%d%n", i);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(400, lines.length);
        for (String l : lines) {
            assertTrue(l.matches("> t[01] part one, part two \\d+"), l);
        }
    }

    private static JsonObject json(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
    }

    private static List<JsonElement> losses(JsonArray history) {
        List<JsonElement> out = new ArrayList<>();
        for (JsonElement e : history) {
            JsonObject h = e.getAsJsonObject().deepCopy();
            h.remove("seconds");
            out.add(h);
        }
        return out;
    }

    private static String body(Path report) throws IOException {
        return Files.readString(report).lines().filter(l -> !l.contains("mvkt experiment fractions"))
                .map(l -> l.replaceAll("Written \\S+\\.", "Written (time)."))
                .reduce("", (x, y) -> x + y + "\n");
    }
}
