package dev.mvkt.core;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.api.Lead;
import dev.mvkt.api.SignalQuality;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A trained single-lead (or lead-subset) student: what an app ships. */
public final class Student extends MvktModel {
    /** Shortest recording {@link #diagnose} scores; shorter ones are {@link QualityGate#MIN_SECONDS unusable}. */
    public static final double MIN_SECONDS = QualityGate.MIN_SECONDS;

    Student(TrainedModel model) {
        super(model);
    }

    /** {@link #diagnose(float[], double, DiagnoseOptions)} with {@link DiagnoseOptions#defaults()}. */
    public Diagnosis diagnose(float[] signal, double hz) {
        return diagnose(signal, hz, DiagnoseOptions.defaults());
    }

    /**
     * Diagnoses one recording of the student's single lead, in mV, at a rate in [{@value QualityGate#MIN_HZ},
     * {@value QualityGate#MAX_HZ}] Hz. See {@link #diagnose(float[][], double, DiagnoseOptions)}.
     *
     * @throws IllegalArgumentException if the student reads several leads, or as the multi-lead form
     */
    public Diagnosis diagnose(float[] signal, double hz, DiagnoseOptions options) {
        if (model.leads().size() != 1) {
            throw new IllegalArgumentException("this student reads leads " + model.leads()
                    + "; pass one row per lead (diagnose(float[][], ...)) or a map from lead to signal");
        }
        return diagnose(new float[][]{signal}, hz, options);
    }

    /** {@link #diagnose(float[][], double, DiagnoseOptions)} with {@link DiagnoseOptions#defaults()}. */
    public Diagnosis diagnose(float[][] signal, double hz) {
        return diagnose(signal, hz, DiagnoseOptions.defaults());
    }

    /** {@link #diagnose(Map, double, DiagnoseOptions)} with {@link DiagnoseOptions#defaults()}. */
    public Diagnosis diagnose(Map<Lead, float[]> signals, double hz) {
        return diagnose(signals, hz, DiagnoseOptions.defaults());
    }

    /**
     * Diagnoses a recording given by lead name: the map must hold exactly the student's {@link #leads()} (in any
     * order); the error names the missing and the extra ones.
     *
     * @throws IllegalArgumentException naming missing or extra leads, or as the array form
     */
    public Diagnosis diagnose(Map<Lead, float[]> signals, double hz, DiagnoseOptions options) {
        Objects.requireNonNull(signals, "signals");
        List<Lead> missing = new ArrayList<>();
        for (Lead l : model.leads()) {
            if (!signals.containsKey(l)) {
                missing.add(l);
            }
        }
        List<Lead> extra = new ArrayList<>();
        for (Lead l : new LinkedHashMap<>(signals).keySet()) {
            if (l == null || !model.leads().contains(l)) {
                extra.add(l);
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException("this student reads leads " + model.leads() + "; the recording "
                    + (missing.isEmpty() ? "" : "lacks " + missing) + (missing.isEmpty() || extra.isEmpty() ? ""
                    : " and ") + (extra.isEmpty() ? "" : "has extra " + extra
                    + " (select the student's leads, e.g. with EcgDatasets.leads for a dataset)"));
        }
        float[][] rows = new float[model.leads().size()][];
        for (int l = 0; l < rows.length; l++) {
            rows[l] = signals.get(model.leads().get(l));
        }
        return diagnose(rows, hz, options);
    }

    /**
     * Diagnoses one recording of the student's leads ({@code [lead][sample]}, in {@link #leads()} order, mV).
     *
     * <p>First the {@link QualityGate} checks every lead at its own rate (linear time, before anything is resampled):
     * the verdict goes into the diagnosis, and under the default {@link QualityPolicy#ABSTAIN_WHEN_UNUSABLE} an
     * unusable recording (a lead off, a flat or noise-only signal, values not in mV, under
     * {@value QualityGate#MIN_SECONDS} s, ...) is not scored: the diagnosis {@linkplain Diagnosis#abstained()
     * abstains}. Otherwise the signal is resampled (band-limited) to the training rate and cut into windows of the
     * training length that overlap by half (the last one ends at the recording's end); a shorter recording is tiled
     * to one window, as the CPSC2018 protocol does. The windows are scored {@link DiagnoseOptions#windowBatch()} at a
     * time, so memory stays bounded for recordings of hours, and <b>a class's probability is the mean of its
     * windows' probabilities</b>, each calibrated ({@link Calibration}: the window's logits divided by the class
     * temperatures before the sigmoid).
     *
     * @param signal samples per lead in mV, all leads of the same length
     * @param hz     their sampling rate, within [{@value QualityGate#MIN_HZ}, {@value QualityGate#MAX_HZ}] Hz
     * @throws IllegalArgumentException if the rows do not match the student's leads or differ in length, a row is
     *                                  empty, the rate is outside the accepted range (naming it), or a sample is NaN
     *                                  or infinite (naming the lead and the sample's index)
     */
    public Diagnosis diagnose(float[][] signal, double hz, DiagnoseOptions options) {
        Objects.requireNonNull(options, "options");
        Prepared p = prepare(signal, hz, options.qualityPolicy());
        if (p.abstains()) {
            return Diagnosis.abstention(model.labels(), model.thresholds(), p.quality());
        }
        return scored(meanOverWindows(p.leads(), options.windowBatch()), p.quality());
    }

    /*
     * The steps below are diagnose's, and BatchDiagnosis (bulk scoring, mvkt-spark) runs its recordings through the
     * same methods: prepare, windowStarts, standardisedWindows, windowProbabilities, addRows and scored. Whatever
     * changes in diagnose's preparation changes there too.
     */

    /**
     * A recording after diagnose's first steps: its quality verdict and, unless the policy abstains, its leads
     * resampled to the training rate.
     *
     * @param quality the {@link QualityGate}'s verdict
     * @param leads   {@code [lead][sample]} at the model's rate; null when the recording is not to be scored
     */
    record Prepared(SignalQuality quality, float[][] leads) {
        boolean abstains() {
            return leads == null;
        }
    }

    /**
     * diagnose's checks, quality gate and resampling of one recording.
     *
     * @throws IllegalArgumentException as {@link #diagnose(float[][], double, DiagnoseOptions)} does
     */
    Prepared prepare(float[][] signal, double hz, QualityPolicy policy) {
        if (signal == null || signal.length != model.leads().size()) {
            throw new IllegalArgumentException("expected " + model.leads().size() + " signal row(s) for leads "
                    + model.leads() + ", got " + (signal == null ? "null" : signal.length));
        }
        for (int l = 0; l < signal.length; l++) {
            if (signal[l] == null || signal[l].length == 0) {
                throw new IllegalArgumentException("lead " + model.leads().get(l) + ": no samples");
            }
            if (signal[l].length != signal[0].length) {
                throw new IllegalArgumentException("lead " + model.leads().get(l) + " has " + signal[l].length
                        + " samples but lead " + model.leads().get(0) + " has " + signal[0].length
                        + "; the leads of one recording must have the same length");
            }
        }
        SignalQuality quality = QualityGate.assess(signal, model.leads(), hz);
        if (policy.abstains(quality)) {
            return new Prepared(quality, null);
        }
        float[][] x = new float[signal.length][];
        for (int l = 0; l < signal.length; l++) {
            x[l] = Resample.resample(signal[l], hz, model.samplingRate());
        }
        return new Prepared(quality, x);
    }

    /** The diagnosis of a scored recording: the mean calibrated probabilities and the gate's verdict. */
    Diagnosis scored(double[] probabilities, SignalQuality quality) {
        return new Diagnosis(model.labels(), probabilities, model.thresholds(), quality);
    }

    /** The mean of the windows' probabilities, scoring {@code batch} windows per forward pass. */
    double[] meanOverWindows(float[][] x, int batch) {
        int len = model.length();
        List<Integer> starts = windowStarts(x[0].length);
        double[] sum = new double[model.labels().size()];
        for (int from = 0; from < starts.size(); from += batch) {
            int to = Math.min(starts.size(), from + batch);
            float[] buf = new float[(to - from) * x.length * len];
            standardisedWindows(x, starts, from, to, buf, 0);
            double[][] probs = windowProbabilities(Nd4j.create(buf, new long[]{to - from, x.length, len, 1}, 'c'));
            addRows(probs, 0, probs.length, sum);
        }
        if (starts.size() > batch) {
            // Several full batches: buffers of that size are not worth keeping for the next, usually short, ECG.
            inferenceNetwork().releaseInferenceBuffers();
        }
        for (int c = 0; c < sum.length; c++) {
            sum[c] /= starts.size();
        }
        return sum;
    }

    /**
     * Writes windows {@code [from, to)} of {@code starts}, standardised, into {@code buf} from {@code offset}, each as
     * {@code [lead][time]}; returns the offset after them.
     */
    int standardisedWindows(float[][] x, List<Integer> starts, int from, int to, float[] buf, int offset) {
        int len = model.length();
        int p = offset;
        for (int w = from; w < to; w++) {
            int start = starts.get(w);
            for (float[] lead : x) {
                for (int t = 0; t < len; t++) {
                    // Tiling (i modulo length) extends a short recording, as the CPSC protocol repeats it.
                    buf[p++] = model.standardizer().apply(lead[(start + t) % lead.length]);
                }
            }
        }
        return p;
    }

    /** Adds rows {@code [from, to)} of {@code probs} to {@code sum}, in row order (the order diagnose adds them). */
    static void addRows(double[][] probs, int from, int to, double[] sum) {
        for (int w = from; w < to; w++) {
            for (int c = 0; c < sum.length; c++) {
                sum[c] += probs[w][c];
            }
        }
    }

    /** Class probabilities {@code [windows][classes]} of standardised windows: where diagnose applies the sigmoid. */
    double[][] windowProbabilities(INDArray windows) {
        // Calibrated (Calibration): each window's logits are divided by the class temperatures before the sigmoid.
        return model.probabilities(inferenceNetwork().logits(windows)).toDoubleMatrix();
    }

    /**
     * The window starts of a resampled recording of {@code n} samples: half-overlapping windows of the training
     * length, the last one flush with the end; one (tiled) window when the recording is not longer than that.
     */
    List<Integer> windowStarts(int n) {
        int len = model.length();
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
