package dev.mvkt.spark;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.api.Lead;
import dev.mvkt.api.SignalQuality;
import dev.mvkt.core.BatchDiagnosis;
import dev.mvkt.core.DiagnoseOptions;
import dev.mvkt.core.QualityPolicy;
import dev.mvkt.core.Student;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Scores one partition of record rows ({@link Columns#RECORDS} order) in batches: up to
 * {@link ScoreOptions#ROWS_PER_BATCH} rows are taken from the partition, the student's leads picked from each, and
 * the batch diagnosed through {@link BatchDiagnosis#tryDiagnose}, which runs {@code Student.diagnose}'s own checks,
 * quality gate and policy: each record in a forward pass of its own or several packed together
 * ({@link ScoreOptions#packedWindows()}). A record diagnose would refuse becomes an error row, one it abstains on an
 * abstention row. Rows come out in the order they came in, one per input row.
 */
final class Scorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final String sha256;
    private final int packedWindows;
    private final QualityPolicy policy;

    Scorer(Broadcast<byte[]> model, String sha256, ScoreOptions options) {
        this.model = model;
        this.sha256 = sha256;
        this.packedWindows = options.packedWindows();
        this.policy = options.qualityPolicy();
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        Student student = ModelCache.get(sha256, model::value);
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && input.hasNext()) {
                    List<Row> batch = new ArrayList<>(ScoreOptions.ROWS_PER_BATCH);
                    while (batch.size() < ScoreOptions.ROWS_PER_BATCH && input.hasNext()) {
                        batch.add(input.next());
                    }
                    ready.addAll(score(student, batch, packedWindows, DiagnoseOptions.of(policy)));
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /** The scored rows of {@code batch}, in its order; {@code packedWindows} 0 for a pass per record. */
    static List<Row> score(Student student, List<Row> batch, int packedWindows, DiagnoseOptions options) {
        String[] classes = new String[student.labels().size()];
        for (int c = 0; c < classes.length; c++) {
            classes[c] = student.labels().name(c);
        }
        String[] errors = new String[batch.size()];
        List<float[][]> signals = new ArrayList<>();
        List<Integer> scored = new ArrayList<>();
        double[] rates = new double[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Row r = batch.get(i);
            if (!r.isNullAt(6)) {
                errors[i] = r.getString(6); // a read error stays as it was
                continue;
            }
            try {
                signals.add(studentLeads(student, r));
                rates[scored.size()] = r.isNullAt(2) ? Double.NaN : r.getDouble(2);
                scored.add(i);
            } catch (IllegalArgumentException e) {
                errors[i] = errorOf(r, e.getMessage());
            }
        }
        Diagnosis[] results = new Diagnosis[batch.size()];
        if (!signals.isEmpty()) {
            double[] hz = java.util.Arrays.copyOf(rates, scored.size());
            // maxWindows 1: every record alone, scored by diagnose's own loop (BatchDiagnosis's rule).
            List<BatchDiagnosis.Outcome> ds = BatchDiagnosis.tryDiagnose(student, signals, hz,
                    Math.max(1, packedWindows), options);
            for (int k = 0; k < ds.size(); k++) {
                int i = scored.get(k);
                if (ds.get(k).error() != null) {
                    errors[i] = errorOf(batch.get(i), ds.get(k).error());
                } else {
                    results[i] = ds.get(k).diagnosis();
                }
            }
        }
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Row r = batch.get(i);
            Diagnosis d = results[i];
            Object[] v = new Object[Columns.RECORDS.size() + Columns.SCORES.size()];
            for (int c = 0; c < 6; c++) {
                v[c] = r.get(c);
            }
            v[6] = errors[i];
            if (d != null) {
                v[7] = classes;
                v[8] = d.probabilities(); // all NaN in an abstention, as Diagnosis.abstention has them
                v[9] = d.thresholds();
                v[10] = d.findings().toArray(new String[0]);
                v[11] = quality(d);
            }
            out.add(RowFactory.create(v));
        }
        return out;
    }

    private static String errorOf(Row r, String message) {
        return "record " + r.getString(0) + (r.isNullAt(1) ? "" : " (" + r.getString(1) + ")") + ": " + message;
    }

    /** The {@link Columns#QUALITY_TYPE} struct of a diagnosis. */
    static Row quality(Diagnosis d) {
        SignalQuality q = d.quality();
        Row[] issues = new Row[q.issues().size()];
        for (int k = 0; k < issues.length; k++) {
            SignalQuality.Issue issue = q.issues().get(k);
            issues[k] = RowFactory.create(issue.reason().name(), issue.lead().label(), issue.verdict().name(),
                    issue.message());
        }
        return RowFactory.create(q.verdict().name(), d.abstained(), issues);
    }

    /**
     * The rows of the student's leads, in its order, picked from the record's leads by name.
     *
     * @throws IllegalArgumentException naming the lead the record lacks, or a malformed signal
     */
    private static float[][] studentLeads(Student student, Row r) {
        List<?> names = Values.list(r.get(3));
        List<?> rows = Values.list(r.get(4));
        if (names == null || rows == null) {
            throw new IllegalArgumentException("no " + (names == null ? Columns.LEADS : Columns.SIGNAL));
        }
        if (names.size() != rows.size()) {
            throw new IllegalArgumentException(names.size() + " lead names but " + rows.size() + " signal rows");
        }
        float[][] x = new float[student.leads().size()][];
        for (int l = 0; l < x.length; l++) {
            Lead want = student.leads().get(l);
            for (int j = 0; j < names.size(); j++) {
                Object name = names.get(j);
                if (name != null && name.toString().trim().equalsIgnoreCase(want.name())) {
                    x[l] = Values.floats(rows.get(j), "signal row " + j + " (" + name + ")");
                    break;
                }
            }
            if (x[l] == null) {
                throw new IllegalArgumentException("the student reads lead " + want + " but the record has leads "
                        + names);
            }
        }
        return x;
    }
}
