package dev.mvkt.samples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad arguments give one line and exit code 2, before any data or engine is loaded; help lists every option. */
class CliArgumentsTest {
    record Outcome(int code, String out, String err) {
    }

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MvktCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLineUsageError(Outcome o, String fragment) {
        assertEquals(2, o.code(), o.err());
        String[] lines = o.err().strip().split("\\R");
        assertEquals(1, lines.length, o.err());
        assertTrue(lines[0].contains(fragment), lines[0]);
        assertTrue(!o.err().contains("\tat "), "no stack trace: " + o.err());
    }

    @Test
    void unknownDataSourceIsOneLine() {
        assertOneLineUsageError(run("experiment", "table2", "--data", "foo"), "unknown data 'foo'");
    }

    @Test
    void missingDataFolderIsOneLine() {
        assertOneLineUsageError(run("teacher", "--data", "cinc:/no/such/folder"), "does not exist");
    }

    @Test
    void cacheDirIsForRealDataOnly() {
        assertOneLineUsageError(run("teacher", "--cache-dir", "/tmp/mvkt-cache"), "--cache-dir applies to ptbxl");
    }

    @Test
    void unknownLeadNamesTheAcceptedLeads() {
        assertOneLineUsageError(run("distill", "--lead", "VX"), "aVR");
    }

    @Test
    void unknownBackboneNamesTheKnownOnes() {
        assertOneLineUsageError(run("experiment", "table2", "--backbone", "resnet1d_wang,nope"), "resnet1d34");
    }

    @Test
    void unknownPtbXlTaskIsOneLine() {
        assertOneLineUsageError(run("teacher", "--data", "ptbxl:" + System.getProperty("java.io.tmpdir") + ":bogus"),
                "unknown PTB-XL task");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--epochs=0", "--batch-size=1", "--lr=-1", "--width=-2", "--early-stopping=-1",
            "--bootstrap=-5", "--train=1", "--epochs=x"})
    void outOfRangeNumbersAreOneLine(String arg) {
        assertOneLineUsageError(run("teacher", arg), arg.substring(0, arg.indexOf('=')));
    }

    @Test
    void unknownScheduleNamesTheKnownOnes() {
        assertOneLineUsageError(run("teacher", "--lr-schedule", "cosine"), "constant, paper-code");
    }

    @Test
    void negativeWeightIsOneLine() {
        assertOneLineUsageError(run("experiment", "ablation", "--alpha", "-1"), "--alpha");
    }

    @Test
    void leadListIsChecked() {
        assertOneLineUsageError(run("experiment", "leads", "--leads", "I,I"), "twice");
    }

    @Test
    void table1MethodsAndWeightsAreChecked() {
        assertOneLineUsageError(run("experiment", "table1", "--methods", "bce,dkd"),
                "--methods: unknown method 'dkd'; expected bce, kd, fitnet, rkd, pkt, mvkt or all");
        assertOneLineUsageError(run("experiment", "table1", "--methods", "kd,KD"), "'kd' is listed twice");
        assertOneLineUsageError(run("experiment", "table1", "--weight", "mkd=2"),
                "--weight: unknown method 'mkd'; expected kd, fitnet, rkd or pkt");
        assertOneLineUsageError(run("experiment", "table1", "--weight", "rkd=-1"),
                "--weight rkd must be positive and finite, was -1.0");
        assertOneLineUsageError(run("experiment", "table1", "--weight", "pkt=x"), "--weight");
        assertOneLineUsageError(run("experiment", "table1", "--kd-temperature", "0"),
                "--kd-temperature must be positive and finite, was 0.0");
        assertOneLineUsageError(run("experiment", "table1", "--alpha", "0", "--beta", "0"),
                "--alpha and --beta are both 0");
    }

    @Test
    void missingSubcommandIsOneLine() {
        assertOneLineUsageError(run(), "choose a command");
        assertOneLineUsageError(run("experiment"), "choose an experiment");
    }

    @Test
    void diagnoseNeedsOneInput() {
        assertOneLineUsageError(run("diagnose", "--model", "x.mvkt"), "either --input");
    }

    @Test
    void helpOfEachCommandListsItsOptions() {
        List<List<String>> commands = List.of(
                List.of("teacher"), List.of("distill"), List.of("evaluate"), List.of("diagnose"),
                List.of("experiment", "table1"), List.of("experiment", "table2"), List.of("experiment", "ablation"),
                List.of("experiment", "leads"),
                List.of("experiment", "tsne"));
        for (List<String> c : commands) {
            String[] args = new String[c.size() + 1];
            for (int i = 0; i < c.size(); i++) {
                args[i] = c.get(i);
            }
            args[c.size()] = "--help";
            Outcome o = run(args);
            assertEquals(0, o.code(), c.toString());
            assertTrue(o.err().isEmpty(), "help must format cleanly: " + o.err());
            List<String> expected = switch (c.get(c.size() - 1)) {
                case "evaluate" -> List.of("--model", "--data", "--seed", "--bootstrap", "--out");
                case "diagnose" -> List.of("--model", "--input", "--hz", "--data", "--record");
                case "teacher" -> List.of("--data", "--train", "--val", "--test", "--backbone", "--width",
                        "--epochs", "--batch-size", "--seed", "--out", "--early-stopping", "--resume", "--lr",
                        "--lr-schedule");
                default -> List.of("--data", "--backbone", "--student-backbone", "--lead", "--alpha", "--beta",
                        "--epochs", "--batch-size", "--seed", "--out", "--early-stopping", "--resume", "--width",
                        "--train", "--val", "--test", "--bootstrap", "--lr-schedule", "--init-from-teacher");
            };
            for (String opt : expected) {
                assertTrue(o.out().contains(opt + "=") || o.out().contains(opt + " "), c + " --help lacks " + opt);
            }
            assertTrue(o.out().contains("Default:"), c.toString());
        }
        assertTrue(run("experiment", "leads", "--help").out().contains("--leads="));
        assertTrue(run("experiment", "tsne", "--help").out().contains("--perplexity="));
        String table1 = run("experiment", "table1", "--help").out().replaceAll("\\s+", " ");
        for (String opt : List.of("--methods=", "--weight=", "--kd-temperature=", "not part of mvkt")) {
            assertTrue(table1.contains(opt), "experiment table1 --help lacks " + opt);
        }
    }

    @Test
    void nonFiniteLossFromCoreIsOneLineWithExitCode1() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MvktCli.failure(new IllegalStateException("student: loss is NaN at epoch 3, step 7 (terms "
                + "{bce=NaN}); lower the learning rate or check the data for extreme values"), "mvkt distill",
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.strip().split("\\R").length, text);
        assertTrue(text.startsWith("mvkt distill: error: student: loss is NaN at epoch 3, step 7"), text);
    }

    @Test
    void ioFailureIsOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MvktCli.failure(new IOException("E07500.hea: line 3\nfield gain: not a number"), "mvkt teacher",
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertEquals("mvkt teacher: error: E07500.hea: line 3 field gain: not a number",
                err.toString(StandardCharsets.UTF_8).strip());
    }
}
