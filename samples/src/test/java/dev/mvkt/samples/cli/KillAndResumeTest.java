package dev.mvkt.samples.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvkt.api.EcgDataset;
import dev.mvkt.core.Student;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The long-run check at the command line: a real {@code mvkt distill} process is killed (SIGKILL: no
 * shutdown hook, no flush) in the middle of the student's training, after the student's first epoch checkpoint has
 * been written; the same command with {@code --resume} reuses the finished teacher, continues the student from its
 * checkpoint rather than from epoch 1, and saves a student that loads and scores. The student's resumed run crosses
 * a process boundary, so its checkpoint must be found again by a fingerprint that a new JVM computes the same way.
 *
 * <p>Nothing here depends on how fast the machine is: the kill is triggered by the child's own epoch line (printed
 * after that epoch's checkpoint), and waits are bounded only by generous deadlines.
 */
class KillAndResumeTest {
    private static final int EPOCHS = 5;
    private static final Duration DEADLINE = Duration.ofMinutes(4);
    private static final Pattern STUDENT_EPOCH = Pattern.compile("^mvkt-I epoch (\\d+)/" + EPOCHS + "\\b");

    private static List<String> command(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("distill", "--train", "64", "--val", "16", "--test", "16",
                "--epochs", String.valueOf(EPOCHS), "--width", "2", "--batch-size", "8", "--bootstrap", "20",
                "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private static List<Integer> studentEpochs(List<String> lines) {
        List<Integer> epochs = new ArrayList<>();
        for (String l : lines) {
            Matcher m = STUDENT_EPOCH.matcher(l);
            if (m.find()) {
                epochs.add(Integer.parseInt(m.group(1)));
            }
        }
        return epochs;
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void distillKilledMidEpochResumesFromItsCheckpointAndFinishes(@TempDir Path out) throws Exception {
        Path checkpoints = out.resolve("checkpoints").resolve("mvkt-I");
        Path studentFile = out.resolve("models").resolve("mvkt-I.mvkt");

        List<String> killed;
        try (Child first = Child.start(command(out))) {
            first.awaitLine(l -> STUDENT_EPOCH.matcher(l).find(), DEADLINE);
            // The epoch line comes after the epoch's checkpoint, so one is on disk now.
            try (Stream<Path> files = Files.list(checkpoints)) {
                assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".ckpt")),
                        "a student checkpoint exists when its first epoch is reported");
            }
            // The child has gone on into epoch 2: kill it there, outright.
            killed = first.kill();
        }
        assertFalse(killed.stream().anyMatch(l -> l.startsWith("report:")),
                "the first run was killed before it finished: " + killed);
        assertFalse(Files.exists(studentFile), "the student was not saved before the kill");
        List<Integer> before = studentEpochs(killed);
        int lastReported = before.get(before.size() - 1);
        assertTrue(lastReported < EPOCHS, "the kill came before the last epoch: " + killed);

        List<String> resumed;
        try (Child second = Child.start(command(out, "--resume"))) {
            int code = second.awaitExit(DEADLINE);
            resumed = second.lines();
            assertEquals(0, code, String.join("\n", resumed));
        }
        assertTrue(resumed.stream().anyMatch(l -> l.contains("Teacher (12 leads): reusing")),
                "the finished teacher is reused: " + resumed);
        List<Integer> after = studentEpochs(resumed);
        // The epoch under way at the kill is redone; one more may have been checkpointed without being reported.
        assertFalse(after.isEmpty(), "the resumed run trained the remaining epochs: " + resumed);
        int firstResumed = after.get(0);
        assertTrue(firstResumed > 1 && firstResumed <= lastReported + 2,
                "resumed at epoch " + firstResumed + " after epoch " + lastReported + " was reported: " + resumed);
        assertEquals(IntStream.rangeClosed(firstResumed, EPOCHS).boxed().toList(), after);

        Student student = Student.load(studentFile);
        EcgDataset data = DataSpec.parse("synthetic").load(0, 64, 16, 16);
        double auc = student.evaluate(data.test()).macroAuc();
        assertTrue(Double.isFinite(auc) && auc >= 0 && auc <= 1, "macro AUC " + auc);

        JsonObject results = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        JsonObject mvkt = null;
        for (JsonElement m : results.getAsJsonArray("models")) {
            if (m.getAsJsonObject().get("id").getAsString().equals("mvkt-I")) {
                mvkt = m.getAsJsonObject();
            }
        }
        assertTrue(mvkt != null, "results.json lists the student");
        assertEquals(auc, mvkt.get("macroAuc").getAsDouble(), 1e-9, "the report scores the saved student");
        // The epochs trained before the kill are in the report too, with those trained after it.
        JsonArray history = mvkt.getAsJsonArray("history");
        List<Integer> reported = new ArrayList<>();
        history.forEach(e -> reported.add(e.getAsJsonObject().get("epoch").getAsInt()));
        assertEquals(IntStream.rangeClosed(1, EPOCHS).boxed().toList(), reported);
        assertTrue(Files.size(out.resolve("training.png")) > 0);
    }

    /** A child JVM running the command line, its standard output and error merged and read line by line. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new ArrayList<>();
        private final BlockingQueue<String> fresh = new LinkedBlockingQueue<>();
        private final Thread reader;

        private Child(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "child-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx1g");
            // A short run spends more on JIT compilation than on training: C1 alone starts faster on two cores.
            cmd.add("-XX:TieredStopAtLevel=1");
            // The build's ND4J settings (memory limits, the oneDNN platform extension) apply to the child too.
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("org.bytedeco."))
                    .sorted().forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(MvktCli.class.getName());
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            // One native thread: a width-2 network gains nothing from two, and OpenMP threads that spin-wait for a
            // core another process holds (the test JVM, a parallel build) make a run many times slower.
            pb.environment().put("OMP_NUM_THREADS", "1");
            Process p = pb.start();
            p.getOutputStream().close();
            return new Child(p);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    synchronized (lines) {
                        lines.add(l);
                    }
                    fresh.add(l);
                }
            } catch (IOException e) {
                // The stream closes when the process is killed; what was read is kept.
            }
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        /** Waits for a line matching {@code wanted}; fails if the process ends first or the deadline passes. */
        String awaitLine(Predicate<String> wanted, Duration deadline) throws InterruptedException {
            long end = System.nanoTime() + deadline.toNanos();
            while (System.nanoTime() < end) {
                String l = fresh.poll(200, TimeUnit.MILLISECONDS);
                if (l != null && wanted.test(l)) {
                    return l;
                }
                if (l == null && !process.isAlive() && fresh.isEmpty()) {
                    reader.join(TimeUnit.SECONDS.toMillis(10));
                    if (fresh.isEmpty()) {
                        fail("the child exited with " + process.exitValue() + " before the awaited line:\n"
                                + String.join("\n", lines()));
                    }
                }
            }
            fail("no awaited line within " + deadline + ":\n" + String.join("\n", lines()));
            return null;
        }

        /** Kills the process (SIGKILL) and returns everything it printed. */
        List<String> kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                fail("the child did not die after SIGKILL");
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
            return lines();
        }

        int awaitExit(Duration deadline) throws InterruptedException {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("the child did not finish within " + deadline + ":\n" + String.join("\n", lines()));
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
            return process.exitValue();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
