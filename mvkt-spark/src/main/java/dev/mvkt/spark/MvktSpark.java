package dev.mvkt.spark;

import dev.mvkt.api.Evaluation;
import dev.mvkt.core.Evaluations;
import dev.mvkt.core.Student;
import dev.mvkt.datasets.EcgFiles;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores ECG archives with an mvkt {@link Student} on Spark.
 *
 * <pre>{@code
 * Dataset<Row> records = MvktSpark.readArchive(spark, Path.of("/data/cinc2021"), 64);
 * Dataset<Row> scored = MvktSpark.score(spark, records, Path.of("student.mvkt"));
 * scored.drop(Columns.SIGNAL).write().parquet("scores.parquet");
 * }</pre>
 *
 * <p>Rows in equal rows out: a record that cannot be read or scored is a row whose {@link Columns#ERROR} says why.
 * Every other row carries {@code Student.diagnose}'s signal-quality verdict ({@link Columns#QUALITY}); under the
 * default policy an unusable record is an abstention row (probabilities NaN, no findings). The results equal
 * {@code Student.diagnose}'s for the same recording (the same code prepares and scores it), whatever the
 * partitioning.
 */
public final class MvktSpark {
    /** Failed rows a {@link ScoreSummary} quotes. */
    public static final int MAX_EXAMPLES = 20;

    private MvktSpark() {
    }

    /**
     * The records under {@code root} (WFDB headers and CPSC {@code .mat} files, {@link EcgFiles#isRecord}), read on
     * the executors, {@link Columns#RECORDS} schema. The driver lists the files, so {@code root} must be a file system
     * the driver and every executor mount at the same path (a local disk for {@code local[*]}, NFS or similar on a
     * cluster).
     *
     * @param partitions how many tasks read (and later score) the records; at least 1
     * @throws IOException if {@code root} is not a readable folder, or holds no record
     */
    public static Dataset<Row> readArchive(SparkSession spark, Path root, int partitions) throws IOException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        List<String> files = EcgFiles.list(root).stream().map(p -> p.toAbsolutePath().toString()).toList();
        if (files.isEmpty()) {
            throw new IOException(root + ": no records (.hea headers or CPSC .mat files) found");
        }
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(files, Math.min(partitions, files.size()))
                .map(ArchiveReader::read);
        return spark.createDataFrame(rows, Columns.RECORDS);
    }

    /**
     * A Parquet table of signals as record rows. It needs {@code id} (string), {@code sampling_rate} (a number),
     * {@code leads} (array of strings) and {@code signal} (array of arrays of numbers, mV); {@code source},
     * {@code labels} and {@code error} are optional. Other columns are dropped.
     *
     * @throws IllegalArgumentException naming the path and the column that is missing or of the wrong type
     */
    public static Dataset<Row> readTable(SparkSession spark, String path) {
        return records(spark.read().parquet(path), path);
    }

    /**
     * {@code table} as record rows (as {@link #readTable}); a record dataset passes through.
     *
     * @param what how to name {@code table} in errors (its path)
     */
    public static Dataset<Row> records(Dataset<Row> table, String what) {
        List<String> have = Arrays.asList(table.columns());
        List<Column> cols = new ArrayList<>();
        for (StructField f : Columns.RECORDS.fields()) {
            if (!have.contains(f.name())) {
                if (!f.nullable() || f.name().equals(Columns.SAMPLING_RATE) || f.name().equals(Columns.LEADS)
                        || f.name().equals(Columns.SIGNAL)) {
                    throw new IllegalArgumentException(what + ": no column '" + f.name() + "'; a record table needs "
                            + "id, sampling_rate, leads and signal (and may have source, labels, error), has "
                            + have);
                }
                cols.add(functions.lit(null).cast(f.dataType()).as(f.name()));
                continue;
            }
            DataType t = table.schema().apply(f.name()).dataType();
            if (!compatible(t, f.dataType())) {
                throw new IllegalArgumentException(what + ": column '" + f.name() + "' is " + t.simpleString()
                        + "; expected " + f.dataType().simpleString());
            }
            cols.add(functions.col(f.name()).cast(f.dataType()).as(f.name()));
        }
        Dataset<Row> out = table.select(cols.toArray(new Column[0]));
        // An id is required in every row: coalesce a missing one to a name that says so, rather than fail the job.
        return out.withColumn(Columns.ID, functions.coalesce(functions.col(Columns.ID),
                functions.lit("(no id)"))).to(Columns.RECORDS);
    }

    private static boolean compatible(DataType have, DataType want) {
        if (want instanceof ArrayType w) {
            return have instanceof ArrayType h && compatible(h.elementType(), w.elementType());
        }
        if (want instanceof StringType) {
            return have instanceof StringType;
        }
        return have instanceof NumericType;
    }

    /** Scores with the student in {@code model} (a {@code .mvkt} file), default options. */
    public static Dataset<Row> score(SparkSession spark, Dataset<Row> records, Path model) throws IOException {
        return score(spark, records, Files.readAllBytes(model), ScoreOptions.defaults());
    }

    /**
     * Scores {@code records} (any table {@link #records} accepts) with the student whose file's bytes are
     * {@code model}: each row of the result is the record's row with {@link Columns#SCORES} added, in the
     * {@link Columns#scored()} schema. The bytes are broadcast once; each executor loads the student once and shares
     * it between its tasks.
     *
     * @throws dev.mvkt.core.ModelFormatException if the bytes are not an mvkt student (checked on the driver, before
     *                                             any task runs)
     * @throws IOException                         if reading the bytes fails
     */
    public static Dataset<Row> score(SparkSession spark, Dataset<Row> records, byte[] model, ScoreOptions options)
            throws IOException {
        String sha = ModelCache.sha256(model);
        try {
            ModelCache.get(sha, () -> model); // fails here, on the driver, for a file that is not a student
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        Broadcast<byte[]> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        return records(records, "records").mapPartitions(new Scorer(shared, sha, options),
                Encoders.row(Columns.scored()));
    }

    /**
     * Counts the scored, abstained and failed rows of a {@link #score} result, and quotes the first failures by id.
     * An abstention (the quality policy left the record unscored) is neither scored nor failed.
     */
    public static ScoreSummary summarize(Dataset<Row> scored) {
        Column failed = functions.col(Columns.ERROR).isNotNull();
        Column abstained = abstained();
        Row counts = scored.agg(functions.count(functions.lit(1)),
                functions.sum(functions.when(failed, 1).otherwise(0)),
                functions.sum(functions.when(abstained, 1).otherwise(0))).first();
        long total = counts.getLong(0);
        long bad = counts.isNullAt(1) ? 0 : counts.getLong(1);
        long none = counts.isNullAt(2) ? 0 : counts.getLong(2);
        List<String> examples = new ArrayList<>();
        for (Row r : scored.filter(failed).select(Columns.ID, Columns.ERROR).orderBy(Columns.ID)
                .limit(MAX_EXAMPLES).collectAsList()) {
            examples.add(r.getString(0) + ": " + r.getString(1));
        }
        return new ScoreSummary(total, total - bad - none, none, bad, examples);
    }

    /** True in abstention rows, false elsewhere (error rows, whose quality is null, included). */
    private static Column abstained() {
        return functions.coalesce(functions.col(Columns.QUALITY).getField("abstained"), functions.lit(false));
    }

    /**
     * Macro AUC, per-class F1 and accuracy of the scored rows that have labels (one per class, in the model's class
     * order), at the thresholds the rows were scored with. Rows without labels or without probabilities, and
     * abstentions, are left out.
     *
     * @throws IllegalArgumentException if no scored row has labels, or a row's labels do not match its classes
     */
    public static Evaluation evaluate(Dataset<Row> scored) {
        List<Row> rows = scored.filter(functions.col(Columns.PROBABILITIES).isNotNull()
                        .and(functions.col(Columns.LABELS).isNotNull())
                        .and(functions.size(functions.col(Columns.LABELS)).gt(0))
                        .and(functions.not(abstained())))
                .select(Columns.ID, Columns.CLASSES, Columns.PROBABILITIES, Columns.THRESHOLDS, Columns.LABELS)
                .orderBy(Columns.ID).collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no scored record has labels; nothing to evaluate");
        }
        List<?> classes = Values.list(rows.get(0).get(1));
        double[] thresholds = toDoubles(Values.list(rows.get(0).get(3)));
        double[][] p = new double[rows.size()][];
        double[][] y = new double[rows.size()][];
        for (int i = 0; i < p.length; i++) {
            Row r = rows.get(i);
            p[i] = toDoubles(Values.list(r.get(2)));
            y[i] = toDoubles(Values.list(r.get(4)));
            if (y[i].length != classes.size()) {
                throw new IllegalArgumentException("record " + r.getString(0) + ": " + y[i].length + " labels but the "
                        + "model has " + classes.size() + " classes " + classes + "; labels must follow its classes");
            }
        }
        return Evaluations.of(dev.mvkt.api.LabelSet.of(classes.stream().map(Object::toString).toList()), p, y,
                thresholds);
    }

    private static double[] toDoubles(List<?> l) {
        return l.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }
}
