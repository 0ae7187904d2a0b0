package dev.mvkt.example.consumer;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.core.Student;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Loads the student shipped in this application's resources, diagnoses the recording shipped beside it (lead I in mV
 * at {@value #HZ} Hz) and checks the probabilities against those recorded when the student was made.
 *
 * <p>Arguments: {@code classpath} or {@code modulepath}, the way this run is expected to load mvkt; the run fails if
 * it loads mvkt the other way, so that the module-path run cannot silently fall back to the class path.
 */
public final class Main {
    static final double HZ = 100.0;
    static final String MODEL = "student.mvkt";
    static final String RECORDING = "recording-lead-I.txt";
    static final String EXPECTED = "expected-probabilities.txt";

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args.length > 0 ? args[0] : "classpath";
        boolean named = Student.class.getModule().isNamed() && Main.class.getModule().isNamed();
        if (named != mode.equals("modulepath")) {
            fail("expected to run on the " + mode + " but mvkt-core is in " + Student.class.getModule());
        }
        Student student = loadStudent();
        float[] leadI = readFloats(RECORDING);
        Diagnosis d = student.diagnose(leadI, HZ);
        double[] want = toDoubles(readFloats(EXPECTED));
        double[] got = d.probabilities();
        if (want.length != got.length) {
            fail(got.length + " probabilities, expected " + want.length);
        }
        for (int i = 0; i < want.length; i++) {
            if (Math.abs(want[i] - got[i]) > 1e-5) {
                fail("probability of " + d.labels().names().get(i) + " is " + got[i] + ", expected " + want[i]);
            }
        }
        System.out.printf(Locale.ROOT, "consumer (%s, mvkt-core in %s): %s %s%n", mode,
                Student.class.getModule(), Arrays.toString(got), d.findings());
    }

    /** The student straight from this application's resources, checked like a file (SHA-256 of the network). */
    static Student loadStudent() throws IOException {
        try (InputStream in = resource(MODEL)) {
            return Student.load(in);
        }
    }

    static float[] readFloats(String name) throws IOException {
        try (InputStream in = resource(name)) {
            String[] parts = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+");
            float[] v = new float[parts.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.parseFloat(parts[i]);
            }
            return v;
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = Main.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " is missing next to " + Main.class.getName()
                    + " (the build makes it: MakeStudent)");
        }
        return in;
    }

    private static void fail(String message) {
        System.err.println("consumer: FAILED: " + message);
        System.exit(1);
    }
}
