package dev.mvkt.samples.cli;

import dev.mvkt.core.QualityPolicy;
import dev.mvkt.spark.ScoreJob;
import dev.mvkt.spark.ScoreOptions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code mvkt score}: scores an archive of ECG files, or a Parquet table of signals, with a student on Spark
 * ({@link ScoreJob}), here on a local master; on a cluster, {@code spark-submit} runs the same job from mvkt-spark's
 * shaded jar (README).
 */
@Command(name = "score", mixinStandardHelpOptions = true, versionProvider = MvktCli.Version.class,
        description = "Scores a folder of WFDB (.hea + .dat/.mat) and CPSC (.mat) records, or a Parquet table of "
                + "signals, with a student on Apache Spark, and writes one row per record (probabilities, findings, "
                + "thresholds and the signal-quality verdict, or the record's error) as Parquet; an unusable "
                + "recording is an abstention (no findings) unless --quality-policy says otherwise. With --evaluation, records with labels are "
                + "evaluated (macro AUC, per-class F1).")
final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A student .mvkt.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "DIR|TABLE",
            description = "A folder of record files, or a Parquet table (columns id, sampling_rate, leads, signal "
                    + "in mV; optional labels in the model's class order).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "TABLE",
            description = "The Parquet table to write (must not exist).")
    String output;

    @Option(names = "--master", defaultValue = "local[*]", paramLabel = "URL",
            description = "Spark master. Default: ${DEFAULT-VALUE}.")
    String master;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
            description = "Tasks reading a folder; 0 for twice the cores. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--packed-windows", defaultValue = "0", paramLabel = "N",
            description = "Pack up to N windows of several records per forward pass (faster for short records; "
                    + "probabilities then differ from diagnose's in the last float digits); 0 for one pass per "
                    + "record. Default: ${DEFAULT-VALUE}.")
    int packedWindows;

    @Option(names = "--quality-policy", defaultValue = "ABSTAIN_WHEN_UNUSABLE", paramLabel = "POLICY",
            description = "When to give no diagnosis, as in diagnose: ABSTAIN_WHEN_UNUSABLE, "
                    + "ABSTAIN_WHEN_QUESTIONABLE or REPORT_ONLY (always score). Default: ${DEFAULT-VALUE}.")
    QualityPolicy qualityPolicy;

    @Option(names = "--evaluation", paramLabel = "FILE",
            description = "Also write the evaluation of the labelled records as JSON.")
    Path evaluation;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--model " + model + ": no such file");
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be 0 or more, was " + partitions);
        }
        ScoreOptions options = ScoreOptions.builder().optPackedWindows(packedWindows)
                .optQualityPolicy(qualityPolicy).build();
        PrintWriter o = spec.commandLine().getOut();
        try {
            ScoreJob.run(new ScoreJob.Options(model, input, output, evaluation, partitions, options, master), o);
        } finally {
            o.flush();
            SparkSession.getActiveSession().foreach(s -> {
                s.stop();
                return null;
            });
        }
        return 0;
    }
}
