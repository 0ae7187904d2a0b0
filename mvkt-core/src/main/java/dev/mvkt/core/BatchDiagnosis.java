package dev.mvkt.core;

import dev.mvkt.api.Diagnosis;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link Student#diagnose(float[][], double, DiagnoseOptions)} for many recordings at once. It does not copy
 * diagnose: every recording goes through diagnose's own methods in {@link Student} (the checks, the
 * {@link QualityGate} and the {@link QualityPolicy}, resampling, the half-overlapping windows or tiling, the model's
 * standardisation, the calibrated probabilities and their mean), so the two cannot drift apart. Bulk scoring (a
 * Spark partition, an archive) uses it; an app diagnosing one ECG calls diagnose.
 *
 * <p>A recording scored alone (with {@code maxWindows} 1 every recording is) runs diagnose's loop itself,
 * {@link DiagnoseOptions#windowBatch()} windows per pass, and its diagnosis equals diagnose's bit for bit,
 * abstentions included. With a larger {@code maxWindows} the windows of several short recordings share a pass,
 * which is faster; the backend's kernels then add in an order that depends on the batch size, and the probabilities
 * differ from diagnose's in the last float digits (measured up to 4e-8). The quality verdicts and abstentions do not
 * depend on packing.
 */
public final class BatchDiagnosis {
    /** A batch size for packed passes: as many windows as bulk evaluation puts in one ({@code Predictor}). */
    public static final int DEFAULT_BATCH_WINDOWS = 128;

    /**
     * One recording's outcome: its diagnosis (scored, or an {@linkplain Diagnosis#abstained() abstention}), or, where
     * diagnose would throw, the exception's message. Exactly one of the two is non-null.
     */
    public record Outcome(Diagnosis diagnosis, String error) {
        public Outcome {
            if ((diagnosis == null) == (error == null)) {
                throw new IllegalArgumentException("an outcome is a diagnosis or an error, not both or neither");
            }
        }
    }

    private BatchDiagnosis() {
    }

    /** {@link #diagnose(Student, List, double[], int, DiagnoseOptions)} with {@link DiagnoseOptions#defaults()}. */
    public static List<Diagnosis> diagnose(Student student, List<float[][]> signals, double[] rates, int maxWindows) {
        return diagnose(student, signals, rates, maxWindows, DiagnoseOptions.defaults());
    }

    /**
     * Diagnoses every recording ({@code [lead][sample]} in the student's {@link Student#leads() leads} order, mV, at
     * {@code rates[i]} Hz) as diagnose would with {@code options}, packing up to {@code maxWindows} windows of
     * several recordings into one forward pass (a recording with more windows is scored alone).
     *
     * @throws IllegalArgumentException naming the index of the first recording diagnose would refuse, and its
     *                                  reason (nothing is scored then), or if the lists differ in size or
     *                                  {@code maxWindows} is not positive
     */
    public static List<Diagnosis> diagnose(Student student, List<float[][]> signals, double[] rates, int maxWindows,
                                           DiagnoseOptions options) {
        String[] errors = new String[signals.size()];
        List<Student.Prepared> prepared = prepareAll(student, signals, rates, maxWindows, options, errors);
        for (int r = 0; r < errors.length; r++) {
            if (errors[r] != null) {
                throw new IllegalArgumentException("recording " + r + ": " + errors[r]);
            }
        }
        List<Diagnosis> out = new ArrayList<>(signals.size());
        score(student, prepared, maxWindows, options).forEach(o -> out.add(o.diagnosis()));
        return out;
    }

    /**
     * As {@link #diagnose(Student, List, double[], int, DiagnoseOptions)}, but a recording diagnose would refuse
     * becomes an outcome with its error instead of failing the others: one outcome per recording, in order.
     */
    public static List<Outcome> tryDiagnose(Student student, List<float[][]> signals, double[] rates,
                                            int maxWindows, DiagnoseOptions options) {
        String[] errors = new String[signals.size()];
        List<Student.Prepared> prepared = prepareAll(student, signals, rates, maxWindows, options, errors);
        List<Outcome> scored = score(student, prepared, maxWindows, options);
        List<Outcome> out = new ArrayList<>(signals.size());
        for (int r = 0; r < signals.size(); r++) {
            out.add(errors[r] != null ? new Outcome(null, errors[r]) : scored.get(r));
        }
        return out;
    }

    /** diagnose's first steps for every recording; a refused one is null, with its message in {@code errors}. */
    private static List<Student.Prepared> prepareAll(Student student, List<float[][]> signals, double[] rates,
                                                     int maxWindows, DiagnoseOptions options, String[] errors) {
        Objects.requireNonNull(student, "student");
        Objects.requireNonNull(options, "options");
        if (signals.size() != rates.length) {
            throw new IllegalArgumentException(signals.size() + " signals but " + rates.length + " sampling rates");
        }
        if (maxWindows < 1) {
            throw new IllegalArgumentException("maxWindows must be positive, was " + maxWindows);
        }
        List<Student.Prepared> out = new ArrayList<>(signals.size());
        for (int r = 0; r < signals.size(); r++) {
            try {
                out.add(student.prepare(signals.get(r), rates[r], options.qualityPolicy()));
            } catch (IllegalArgumentException e) {
                out.add(null);
                errors[r] = e.getMessage();
            }
        }
        return out;
    }

    /**
     * Scores the prepared recordings (null ones are left null in the result, abstaining ones are abstentions): runs
     * of recordings whose windows fit in {@code maxWindows} share a pass; a recording alone runs diagnose's loop.
     */
    private static List<Outcome> score(Student student, List<Student.Prepared> prepared, int maxWindows,
                                       DiagnoseOptions options) {
        TrainedModel model = student.model;
        Outcome[] out = new Outcome[prepared.size()];
        List<Integer> todo = new ArrayList<>();
        List<List<Integer>> starts = new ArrayList<>();
        for (int r = 0; r < prepared.size(); r++) {
            Student.Prepared p = prepared.get(r);
            if (p == null) {
                continue;
            }
            if (p.abstains()) {
                out[r] = new Outcome(Diagnosis.abstention(model.labels(), model.thresholds(), p.quality()), null);
                continue;
            }
            todo.add(r);
            starts.add(student.windowStarts(p.leads()[0].length));
        }
        int leads = model.leads().size();
        int len = model.length();
        int from = 0;
        while (from < todo.size()) {
            int to = from;
            int count = 0;
            while (to < todo.size() && (to == from || count + starts.get(to).size() <= maxWindows)) {
                count += starts.get(to).size();
                to++;
            }
            if (to - from == 1) {
                // Alone: diagnose's own loop, window batch included, so the result is diagnose's bit for bit.
                Student.Prepared p = prepared.get(todo.get(from));
                out[todo.get(from)] = new Outcome(student.scored(
                        student.meanOverWindows(p.leads(), options.windowBatch()), p.quality()), null);
                from = to;
                continue;
            }
            float[] buf = new float[count * leads * len];
            int offset = 0;
            for (int k = from; k < to; k++) {
                List<Integer> s = starts.get(k);
                offset = student.standardisedWindows(prepared.get(todo.get(k)).leads(), s, 0, s.size(), buf, offset);
            }
            double[][] probs = student.windowProbabilities(Nd4j.create(buf, new long[]{count, leads, len, 1}, 'c'));
            int row = 0;
            for (int k = from; k < to; k++) {
                int n = starts.get(k).size();
                double[] sum = new double[model.labels().size()];
                Student.addRows(probs, row, row + n, sum);
                for (int c = 0; c < sum.length; c++) {
                    sum[c] /= n;
                }
                out[todo.get(k)] = new Outcome(student.scored(sum, prepared.get(todo.get(k)).quality()), null);
                row += n;
            }
            from = to;
        }
        List<Outcome> list = new ArrayList<>(out.length);
        for (Outcome o : out) {
            list.add(o);
        }
        return list;
    }
}
