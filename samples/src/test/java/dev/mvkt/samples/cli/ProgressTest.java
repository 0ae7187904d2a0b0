package dev.mvkt.samples.cli;

import dev.mvkt.api.EpochReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model's epoch history survives a resume: kept in a file after every epoch, continued by the next process. */
class ProgressTest {
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    /** A report whose numbers identify the process that trained it ({@code run}) and the epoch. */
    private static EpochReport report(int run, int epoch) {
        return new EpochReport("student", epoch, 4, run + epoch / 10.0, Map.of("bce", epoch / 10.0),
                0.5 + epoch / 100.0, 100L * run, epoch == 1);
    }

    private static List<Integer> epochs(List<EpochReport> h) {
        return h.stream().map(EpochReport::epoch).toList();
    }

    private Progress progress(Path file, boolean resume) throws IOException {
        return new Progress("m", log, false, file, resume);
    }

    @Test
    void anEpochWithoutValidationScoreSaysNoAucAndNoBest(@TempDir Path dir) throws IOException {
        Progress p = progress(dir.resolve("history.json"), false);
        p.onEpoch(new EpochReport("pretrain", 1, 2, 3.5, Map.of("nt-xent", 3.5), Double.NaN, 1000, true));
        String out = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("m epoch 1/2  loss 3.5000  1.0 s"), out);
        assertFalse(out.contains("NaN") || out.contains("best"), out);
        assertEquals(1, EpochHistory.read(dir.resolve("history.json")).size());
    }

    @Test
    void aResumedRunReportsTheEpochsOfTheProcessBeforeIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("history.json");
        Progress first = progress(file, false);
        first.onEpoch(report(1, 1));
        first.onEpoch(report(1, 2));
        assertEquals(List.of(1, 2), epochs(EpochHistory.read(file)), "written after every epoch");
        // Killed during epoch 3: the next process resumes from the checkpoint of epoch 2.
        Progress second = progress(file, true);
        assertEquals(List.of(1, 2), epochs(second.history()), "a run with nothing left to train has its history");
        second.onEpoch(report(2, 3));
        second.onEpoch(report(2, 4));
        List<EpochReport> h = second.history();
        assertEquals(List.of(1, 2, 3, 4), epochs(h));
        assertEquals(List.of(report(1, 1), report(1, 2), report(2, 3), report(2, 4)), h, "the earlier reports "
                + "are kept as they were");
        assertEquals(h, EpochHistory.read(file));
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("m epoch 4/4"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary files");
        }
    }

    @Test
    void anEpochTrainedAgainReplacesItsEarlierReport(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("history.json");
        EpochHistory.write(file, List.of(report(1, 1), report(1, 2), report(1, 3)));
        Progress p = progress(file, true);
        p.onEpoch(report(2, 3));
        assertEquals(List.of(report(1, 1), report(1, 2), report(2, 3)), p.history());
        assertFalse(logBytes.toString(StandardCharsets.UTF_8).contains("no report"));
    }

    @Test
    void aRunFromEpochOneStartsAFreshHistory(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("history.json");
        EpochHistory.write(file, List.of(report(1, 1), report(1, 2)));
        Progress fresh = progress(file, false);
        assertTrue(fresh.history().isEmpty(), "without resume the old history is not read");
        fresh.onEpoch(report(2, 1));
        assertEquals(List.of(report(2, 1)), EpochHistory.read(file));

        EpochHistory.write(file, List.of(report(1, 1), report(1, 2)));
        // Resume asked for, but no matching checkpoint: the trainer starts again from epoch 1.
        Progress restarted = progress(file, true);
        restarted.onEpoch(report(3, 1));
        assertEquals(List.of(report(3, 1)), restarted.history());
    }

    @Test
    void aMissingEpochReportIsSaidAndSkipped(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("history.json");
        // Killed after the checkpoint of epoch 2 but before its report was written.
        EpochHistory.write(file, List.of(report(1, 1)));
        Progress p = progress(file, true);
        p.onEpoch(report(2, 3));
        assertEquals(List.of(1, 3), epochs(p.history()));
        String said = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("m: no report of epoch 2 in the history"), said);
    }

    @Test
    void undefinedValidationAucRoundTrips(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("h.json");
        EpochReport nan = new EpochReport("teacher", 1, 1, 0.7, Map.of(), Double.NaN, 5, true);
        EpochHistory.write(file, List.of(nan));
        assertTrue(Double.isNaN(EpochHistory.read(file).get(0).valAuc()));
        assertTrue(EpochHistory.read(dir.resolve("absent.json")).isEmpty());
    }

    @Test
    void aDamagedHistoryIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("history-0.json");
        Files.writeString(file, "{ not a list");
        IOException e = assertThrows(IOException.class, () -> progress(file, true));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
