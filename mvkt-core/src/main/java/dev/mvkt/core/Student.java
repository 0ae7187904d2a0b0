package dev.mvkt.core;

import dev.mvkt.api.Diagnosis;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A trained single-lead (or lead-subset) student: what an app ships. */
public final class Student extends MvktModel {
    /** Shortest recording {@link #diagnose} accepts; shorter ones hold too few beats to judge a rhythm. */
    public static final double MIN_SECONDS = 2.0;

    Student(TrainedModel model) {
        super(model);
    }

    /**
     * Diagnoses one recording of the student's lead, in mV, at any sampling rate.
     *
     * <p>The signal is resampled (band-limited) to the training rate. A recording longer than the training window
     * is read in windows overlapping by half, and their probabilities averaged; a shorter one is tiled to the
     * window length, as the CPSC2018 protocol does. The probabilities are calibrated ({@link Calibration}): each
     * window's logits are divided by the class temperatures before the sigmoid.
     *
     * @param signal samples of the student's lead in mV
     * @param hz     its sampling rate
     * @throws IllegalArgumentException if the student reads several leads, the rate is not positive, the signal is
     *                                  shorter than {@link #MIN_SECONDS}, or a sample is NaN or infinite
     */
    public Diagnosis diagnose(float[] signal, double hz) {
        if (model.leads().size() != 1) {
            throw new IllegalArgumentException("this student reads leads " + model.leads()
                    + "; use diagnose(float[][], double) with one row per lead");
        }
        return diagnose(new float[][]{signal}, hz);
    }

    /**
     * Diagnoses one recording of the student's leads ({@code [lead][sample]}, in {@link #leads()} order, mV).
     */
    public Diagnosis diagnose(float[][] signal, double hz) {
        if (signal == null || signal.length != model.leads().size()) {
            throw new IllegalArgumentException("expected " + model.leads().size() + " signal row(s) for leads "
                    + model.leads() + ", got " + (signal == null ? "null" : signal.length));
        }
        if (!(hz > 0) || Double.isInfinite(hz)) {
            throw new IllegalArgumentException("sampling rate must be positive and finite, was " + hz);
        }
        int len = model.length();
        float[][] x = new float[signal.length][];
        for (int l = 0; l < signal.length; l++) {
            float[] s = signal[l];
            if (s == null || s.length < MIN_SECONDS * hz) {
                throw new IllegalArgumentException("lead " + model.leads().get(l) + ": the signal has "
                        + (s == null ? 0 : s.length) + " samples (" + (s == null ? 0 : s.length / hz)
                        + " s at " + hz + " Hz); at least " + MIN_SECONDS + " s are needed");
            }
            for (int i = 0; i < s.length; i++) {
                if (!Float.isFinite(s[i])) {
                    throw new IllegalArgumentException("lead " + model.leads().get(l) + ": sample " + i + " is "
                            + s[i] + "; expected finite values in mV");
                }
            }
            x[l] = Resample.resample(s, hz, model.samplingRate());
        }
        List<Integer> starts = windowStarts(x[0].length, len);
        float[] buf = new float[starts.size() * x.length * len];
        int p = 0;
        for (int start : starts) {
            for (float[] lead : x) {
                for (int t = 0; t < len; t++) {
                    int i = start + t;
                    // Tiling (i modulo length) extends a short recording, as the CPSC protocol repeats it.
                    buf[p++] = model.standardizer().apply(lead[i % lead.length]);
                }
            }
        }
        INDArray in = Nd4j.create(buf, new long[]{starts.size(), x.length, len, 1}, 'c');
        INDArray probs = model.probabilities(inferenceNetwork().logits(in)).mean(0);
        return new Diagnosis(model.labels(), probs.toDoubleVector(), model.thresholds());
    }

    private static List<Integer> windowStarts(int n, int len) {
        List<Integer> starts = new ArrayList<>();
        if (n <= len) {
            starts.add(0);
            return starts;
        }
        int hop = Math.max(1, len / 2);
        for (int s = 0; s + len <= n; s += hop) {
            starts.add(s);
        }
        if (starts.get(starts.size() - 1) + len < n) {
            starts.add(n - len);
        }
        return starts;
    }

    /**
     * Reads a student saved by {@link MvktModel#save}.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws ModelFormatException              if the file is not an mvkt student, is damaged or edited, or a field is
     *                                           out of range; the message names the file and the entry or field
     * @throws IOException                       if reading fails; the message names the file
     */
    public static Student load(Path path) throws IOException {
        return new Student(ModelFiles.read(path, "student", null));
    }

    /**
     * As {@link #load(Path)}, and refuses the file unless its SHA-256 is {@code expectedSha256}: the hash of the
     * whole file's bytes, as {@code sha256sum} prints it, which pins one build of a model.
     *
     * @throws IllegalArgumentException if {@code expectedSha256} is not 64 hexadecimal digits
     */
    public static Student load(Path path, String expectedSha256) throws IOException {
        return new Student(ModelFiles.read(path, "student", ModelFiles.pinned(expectedSha256)));
    }

    /**
     * Reads a student from a URL, for example a classpath resource ({@code getClass().getResource("/model.mvkt")}),
     * with the checks of {@link #load(Path)}; errors name the URL. At most 2^30 bytes are read.
     */
    public static Student load(URL url) throws IOException {
        return new Student(ModelFiles.read(url, "student", null));
    }

    /** As {@link #load(URL)}, pinned to the whole file's SHA-256 as {@link #load(Path, String)}. */
    public static Student load(URL url, String expectedSha256) throws IOException {
        return new Student(ModelFiles.read(url, "student", ModelFiles.pinned(expectedSha256)));
    }

    /**
     * Reads a student from a stream, to its end (at most 2^30 bytes), with the checks of {@link #load(Path)}; errors
     * name "input stream". The stream is not closed.
     */
    public static Student load(InputStream in) throws IOException {
        return new Student(ModelFiles.read(in, "student", null));
    }

    /** As {@link #load(InputStream)}, pinned to the whole file's SHA-256 as {@link #load(Path, String)}. */
    public static Student load(InputStream in, String expectedSha256) throws IOException {
        return new Student(ModelFiles.read(in, "student", ModelFiles.pinned(expectedSha256)));
    }
}
