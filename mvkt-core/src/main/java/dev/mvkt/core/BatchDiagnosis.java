package dev.mvkt.core;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.backbones.EcgNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Student#diagnose(float[][], double)} for many recordings at once: each recording is prepared exactly as
 * diagnose prepares it ({@link Resample}, the same half-overlapping windows or tiling, the model's standardisation),
 * its windows go through the folded network, and its calibrated window probabilities are averaged by the same ND4J
 * calls. Bulk scoring (a Spark partition, an archive) uses it; an app diagnosing one ECG calls diagnose.
 *
 * <p>With {@code maxWindows} 1 every recording has a forward pass of its own, as in diagnose, and the probabilities
 * are diagnose's bit for bit. With more, the windows of several recordings share a pass, which is faster for short
 * recordings; the backend's kernels then add in an order that depends on the batch size, and the probabilities
 * differ from diagnose's in the last float digits (measured up to 4e-8).
 */
public final class BatchDiagnosis {
    /** A batch size for packed passes: as many windows as bulk evaluation puts in one ({@code Predictor}). */
    public static final int DEFAULT_BATCH_WINDOWS = 128;

    private BatchDiagnosis() {
    }

    /**
     * Checks one recording as diagnose would, without scoring it.
     *
     * @throws IllegalArgumentException with diagnose's message when diagnose would refuse the recording
     */
    public static void check(Student student, float[][] signal, double hz) {
        prepare(student.model, signal, hz);
    }

    /**
     * Diagnoses every recording ({@code [lead][sample]} in the student's {@link Student#leads() leads} order, mV, at
     * {@code rates[i]} Hz), {@code maxWindows} windows per forward pass at most (a recording's windows stay in one
     * pass, so one longer than that runs alone).
     *
     * @throws IllegalArgumentException naming the index of a recording diagnose would refuse (nothing is scored then),
     *                                  or if the lists differ in size or {@code maxWindows} is not positive
     */
    public static List<Diagnosis> diagnose(Student student, List<float[][]> signals, double[] rates, int maxWindows) {
        if (signals.size() != rates.length) {
            throw new IllegalArgumentException(signals.size() + " signals but " + rates.length + " sampling rates");
        }
        if (maxWindows < 1) {
            throw new IllegalArgumentException("maxWindows must be positive, was " + maxWindows);
        }
        TrainedModel model = student.model;
        List<float[][]> windows = new ArrayList<>(signals.size());
        for (int r = 0; r < signals.size(); r++) {
            try {
                windows.add(prepare(model, signals.get(r), rates[r]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("recording " + r + ": " + e.getMessage(), e);
            }
        }
        EcgNetwork net = student.inferenceNetwork();
        int leads = model.leads().size();
        int len = model.length();
        List<Diagnosis> out = new ArrayList<>(signals.size());
        int from = 0;
        while (from < windows.size()) {
            int to = from;
            int count = 0;
            while (to < windows.size() && (to == from || count + windows.get(to).length <= maxWindows)) {
                count += windows.get(to).length;
                to++;
            }
            float[] buf = new float[count * leads * len];
            int p = 0;
            for (int r = from; r < to; r++) {
                for (float[] w : windows.get(r)) {
                    System.arraycopy(w, 0, buf, p, w.length);
                    p += w.length;
                }
            }
            INDArray in = Nd4j.create(buf, new long[]{count, leads, len, 1}, 'c');
            INDArray probs = model.probabilities(net.logits(in));
            int row = 0;
            for (int r = from; r < to; r++) {
                int n = windows.get(r).length;
                // A copy of the recording's rows, so the mean runs on the same [windows, classes] array as diagnose's.
                INDArray mine = probs.get(NDArrayIndex.interval(row, row + n), NDArrayIndex.all()).dup('c');
                out.add(new Diagnosis(model.labels(), mine.mean(0).toDoubleVector(), model.thresholds()));
                row += n;
            }
            from = to;
        }
        return out;
    }

    /**
     * One recording's standardised windows, {@code [window][lead * length]}: the checks, resampling, windowing and
     * tiling of {@link Student#diagnose(float[][], double)}, step for step.
     */
    private static float[][] prepare(TrainedModel model, float[][] signal, double hz) {
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
            if (s == null || s.length < Student.MIN_SECONDS * hz) {
                throw new IllegalArgumentException("lead " + model.leads().get(l) + ": the signal has "
                        + (s == null ? 0 : s.length) + " samples (" + (s == null ? 0 : s.length / hz)
                        + " s at " + hz + " Hz); at least " + Student.MIN_SECONDS + " s are needed");
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
        float[][] out = new float[starts.size()][x.length * len];
        for (int w = 0; w < starts.size(); w++) {
            int start = starts.get(w);
            int p = 0;
            for (float[] lead : x) {
                for (int t = 0; t < len; t++) {
                    int i = start + t;
                    // Tiling (i modulo length) extends a short recording, as diagnose and the CPSC protocol do.
                    out[w][p++] = model.standardizer().apply(lead[i % lead.length]);
                }
            }
        }
        return out;
    }

    /** The window starts of {@code Student.diagnose}: half-overlapping, the last one flush with the end. */
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
}
