package dev.mvkt.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyWavelets reference values from {@code src/test/resources/dev/mvkt/datasets/pywt/db6-level9.txt}, written by
 * {@code make_db6_fixtures.py} next to it (its docstring describes the lines).
 */
final class PywtFixtures {
    static final String RESOURCE = "/dev/mvkt/datasets/pywt/db6-level9.txt";

    /** One input signal and what pywt computed from it; values by key, as written. */
    record Case(String name, int n, long seed, Map<String, double[]> values) {
        double[] get(String key) {
            double[] v = values.get(key);
            if (v == null) {
                throw new IllegalStateException("fixture case " + name + " has no '" + key + "' line");
            }
            return v;
        }

        int[] ints(String key) {
            return Arrays.stream(get(key)).mapToInt(d -> (int) d).toArray();
        }
    }

    final Map<String, double[]> header = new LinkedHashMap<>();
    final List<Case> cases = new ArrayList<>();

    private PywtFixtures() {
    }

    static PywtFixtures load() {
        PywtFixtures f = new PywtFixtures();
        try (InputStream in = PywtFixtures.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + RESOURCE + " missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, double[]> current = f.header;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] t = line.trim().split(" ");
                if (t[0].equals("case")) {
                    current = new LinkedHashMap<>();
                    f.cases.add(new Case(t[1], Integer.parseInt(t[2]), Long.parseLong(t[3]), current));
                    continue;
                }
                double[] v = new double[t.length - 1];
                for (int i = 1; i < t.length; i++) {
                    v[i - 1] = Double.parseDouble(t[i]);
                }
                current.put(t[0], v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    /**
     * The fixture input, bit for bit as {@code input(n, seed)} of the Python script: offset, slow triangle,
     * sawtooth and LCG noise, integers divided by 1024 (exact in float32 too).
     */
    static double[] input(int n, long seed) {
        long s = seed;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            s = (1103515245L * s + 12345L) % (1L << 31);
            long noise = ((s >> 16) % 512) - 256;
            long tri = Math.abs((i % 4000) - 2000);
            long saw = ((i * 7L) % 97) * 6 - 288;
            x[i] = (2048 + tri + saw + noise) / 1024.0;
        }
        return x;
    }
}
