package dev.mvkt.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code optDeterministic(true)}: the same seed trains to bit-identical parameters and metrics in two JVMs. Each JVM
 * keeps its default native thread count (two on CI), so the test would see threaded reductions if the mode did not
 * remove them. {@code -Dmvkt.test.alsoDefault=true} also runs the default mode twice and prints both lines, the
 * measurement behind {@code docs/reproducibility.md}.
 */
class DeterminismTest {

    @Test
    void theSameSeedGivesIdenticalResultsInTwoProcesses() throws Exception {
        String first = probe(true);
        String second = probe(true);
        assertTrue(first.startsWith("PROBE "), first);
        assertEquals(first, second, "deterministic mode, two JVMs");
        if (Boolean.getBoolean("mvkt.test.alsoDefault")) {
            System.out.println("default mode: " + probe(false) + " / " + probe(false));
            System.out.println("deterministic: " + first + " / " + second);
        }
    }

    private static String probe(boolean deterministic) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("org.bytedeco."))
                .sorted().forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DeterminismProbe.class.getName());
        cmd.add(String.valueOf(deterministic));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("OMP_NUM_THREADS");
        Process p = pb.start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> l.startsWith("PROBE ")).findFirst().orElse(out);
    }
}
