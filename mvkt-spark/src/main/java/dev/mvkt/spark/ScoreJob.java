package dev.mvkt.spark;

import dev.mvkt.api.Evaluation;
import dev.mvkt.core.AtomicFiles;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The scoring job: reads an archive folder or a Parquet table of records, scores it with a student, writes the
 * scored rows (without the signals) as Parquet, prints a {@link ScoreSummary}, and, when records have labels,
 * optionally writes the evaluation as JSON. {@code spark-submit --class dev.mvkt.spark.ScoreJob} runs its
 * {@link #main}; the samples' {@code mvkt score} command calls {@link #run}.
 */
public final class ScoreJob {
    static final String USAGE = "usage: ScoreJob --model student.mvkt --input DIR|table.parquet --output out.parquet"
            + " [--evaluation eval.json] [--partitions N] [--packed-windows N] [--quality-policy ABSTAIN_WHEN_UNUSABLE|ABSTAIN_WHEN_QUESTIONABLE|REPORT_ONLY]"
            + " [--master URL]";

    /**
     * What to score and where to write.
     *
     * @param model      the student's {@code .mvkt} file (read on the driver and broadcast)
     * @param input      a folder of WFDB/CPSC records, or a Parquet table ({@code .parquet}, a folder Spark wrote, or
     *                   any Hadoop URL such as {@code hdfs://...})
     * @param output     where the scored Parquet table goes (Spark's URL syntax; must not exist)
     * @param evaluation where to write the evaluation JSON, or null for none
     * @param partitions tasks reading an archive folder; 0 for twice the default parallelism
     * @param master     the Spark master, or null for spark-submit's (or {@code local[*]} outside spark-submit)
     */
    public record Options(Path model, String input, String output, Path evaluation, int partitions,
                          ScoreOptions score, String master) {
    }

    /** What a run did. */
    public record Result(ScoreSummary summary, Evaluation evaluation) {
    }

    private ScoreJob() {
    }

    public static void main(String[] args) throws IOException {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        PrintWriter out = new PrintWriter(System.out, true);
        int code = 0;
        try {
            run(o, out);
        } catch (IllegalArgumentException | IOException | java.io.UncheckedIOException
                 | dev.mvkt.core.ModelFormatException e) {
            // One line that says why (the file, the column, the lead), as the samples' command line does: 2 for what
            // the arguments asked that cannot be done, 1 for data and files that failed.
            System.err.println("ScoreJob: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            code = e instanceof IllegalArgumentException ? 2 : 1;
        } finally {
            out.flush();
            SparkSession.getActiveSession().foreach(s -> {
                s.stop();
                return null;
            });
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    static Options parse(String[] args) {
        Path model = null;
        Path evaluation = null;
        String input = null;
        String output = null;
        String master = null;
        int partitions = 0;
        ScoreOptions.Builder score = ScoreOptions.builder();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--model" -> model = Path.of(v);
                case "--input" -> input = v;
                case "--output" -> output = v;
                case "--evaluation" -> evaluation = Path.of(v);
                case "--master" -> master = v;
                case "--partitions" -> partitions = parseInt(a, v);
                case "--packed-windows" -> score.optPackedWindows(parseInt(a, v));
                case "--quality-policy" -> score.optQualityPolicy(parsePolicy(a, v));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (model == null || input == null || output == null) {
            throw new IllegalArgumentException("--model, --input and --output are required");
        }
        return new Options(model, input, output, evaluation, partitions, score.build(), master);
    }

    private static dev.mvkt.core.QualityPolicy parsePolicy(String option, String v) {
        try {
            return dev.mvkt.core.QualityPolicy.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + v + ": expected one of "
                    + java.util.Arrays.toString(dev.mvkt.core.QualityPolicy.values()));
        }
    }

    private static int parseInt(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + v + ": expected a whole number");
        }
    }

    /**
     * Runs the job on the active Spark session (or a new one on {@link Options#master()}), printing the summary (and
     * evaluation) to {@code out}. The session is left running: the caller stops it.
     *
     * @throws IOException if the model is not a student, the input holds no records, or the output exists
     */
    public static Result run(Options o, PrintWriter out) throws IOException {
        if (o.partitions() < 0) {
            throw new IllegalArgumentException("partitions must be 0 (automatic) or more, was " + o.partitions());
        }
        if (!Files.isRegularFile(o.model())) {
            throw new java.nio.file.NoSuchFileException(o.model().toString(), null, "no model file");
        }
        SparkSession.Builder b = SparkSession.builder().appName("mvkt score");
        String master = o.master() != null ? o.master() : System.getProperty("spark.master", "local[*]");
        SparkSession spark = b.master(master).getOrCreate();
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(o.output());
        if (target.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(target)) {
            // Checked before any work, and as an IOException: Spark would find it only after reading the input.
            throw new java.nio.file.FileAlreadyExistsException(o.output(), null, "the output table already exists; "
                    + "remove it or choose another --output");
        }
        Dataset<Row> records;
        if (isTable(o.input())) {
            records = MvktSpark.readTable(spark, o.input());
        } else {
            int parts = o.partitions() > 0 ? o.partitions() : 2 * spark.sparkContext().defaultParallelism();
            records = MvktSpark.readArchive(spark, Path.of(o.input()), parts);
        }
        byte[] model = Files.readAllBytes(o.model());
        Dataset<Row> scored = MvktSpark.score(spark, records, model, o.score());
        // Spark's commit protocol publishes the table only when every task has committed: no half-written output.
        scored.drop(Columns.SIGNAL).write().mode(SaveMode.ErrorIfExists).parquet(o.output());
        Dataset<Row> written = spark.read().parquet(o.output());
        ScoreSummary summary = MvktSpark.summarize(written);
        out.println(summary);
        Evaluation evaluation = null;
        if (o.evaluation() != null) {
            long labelled = written.filter(functions.col(Columns.LABELS).isNotNull()
                    .and(functions.size(functions.col(Columns.LABELS)).gt(0))).count();
            if (labelled == 0) {
                out.println("no record has labels: no evaluation written");
            } else {
                evaluation = MvktSpark.evaluate(written);
                AtomicFiles.writeString(o.evaluation(), json(evaluation));
                out.printf(Locale.ROOT, "evaluation of %d labelled records: macro AUC %.4f, macro F1 %.4f -> %s%n",
                        evaluation.size(), evaluation.macroAuc(), evaluation.macroF1(), o.evaluation());
            }
        }
        return new Result(summary, evaluation);
    }

    /** A {@code .parquet} path, a Hadoop URL, or a folder Spark wrote (Parquet part files, no record files). */
    static boolean isTable(String input) throws IOException {
        if (input.endsWith(".parquet") || input.contains("://")) {
            return true;
        }
        Path p = Path.of(input);
        if (Files.isRegularFile(p)) {
            return true;
        }
        if (!Files.isDirectory(p)) {
            throw new java.nio.file.NoSuchFileException(input, null, "no such folder or table");
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
        }
    }

    /** The evaluation as JSON: records, macro AUC and F1, and each class's AUC, F1, accuracy and threshold. */
    static String json(Evaluation e) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append(String.format(Locale.ROOT, "  \"records\": %d,%n  \"macroAuc\": %s,%n  \"macroF1\": %s,%n",
                e.size(), num(e.macroAuc()), num(e.macroF1())));
        sb.append("  \"classes\": [\n");
        for (int c = 0; c < e.labels().size(); c++) {
            sb.append(String.format(Locale.ROOT, "    {\"name\": \"%s\", \"auc\": %s, \"f1\": %s, \"accuracy\": %s, "
                            + "\"threshold\": %s}%s%n", e.labels().name(c).replace("\"", "\\\""), num(e.auc(c)),
                    num(e.f1(c)), num(e.accuracy(c)), num(e.threshold(c)), c + 1 < e.labels().size() ? "," : ""));
        }
        return sb.append("  ]\n}\n").toString();
    }

    /** JSON has no NaN: an undefined metric (a class without positives) is null. */
    private static String num(double v) {
        return Double.isFinite(v) ? String.valueOf(v) : "null";
    }
}
