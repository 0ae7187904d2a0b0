package dev.mvkt.spark;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.core.BatchDiagnosis;
import dev.mvkt.core.ConsoleProgress;
import dev.mvkt.core.Mvkt;
import dev.mvkt.core.Student;
import dev.mvkt.datasets.EcgFiles;
import dev.mvkt.datasets.SyntheticEcg;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Records per second of scoring a WFDB archive on Spark ({@code local[1]}, {@code local[2]}) against in-process
 * scoring of the same files, each record in its own forward pass (diagnose's numbers) and packed 128 windows a pass.
 * A benchmark, not a test:
 * {@code mvn -o -q -pl mvkt-spark -am test-compile -Pspark-bench -Dspark.bench.args="2000 /tmp/bench"}
 * (records, folder, student width; default 20000 ten-second 12-lead records at 100 Hz, written once and reused, and
 * the reference width 128).
 */
public final class SparkScoringBench {
    private SparkScoringBench() {
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir") + "/mvkt-spark-bench");
        int width = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        Path archive = dir.resolve("records-" + n);
        writeArchive(archive, n);
        Path model = dir.resolve("student-w" + width + ".mvkt");
        if (!Files.exists(model)) {
            // Weights do not change speed: one epoch on a few synthetic records gives a student of the real shape.
            EcgDataset d = SyntheticEcg.builder().optSizes(64, 32, 32).build();
            Mvkt.student(Backbones.resnet1dWangBuilder().optWidth(width).build()).optLead(Lead.II).optEpochs(1)
                    .optBatchSize(32).optListener(ConsoleProgress.silent()).trainOn(d).save(model);
        }
        Student student = Student.load(model);
        System.out.printf(Locale.ROOT, "%d records (10 s, 12 leads, 100 Hz WFDB), ResNet1d_wang width %d student, "
                + "%d cores%n", n, width, Runtime.getRuntime().availableProcessors());

        List<Path> files = EcgFiles.list(archive);
        for (int packed : new int[]{0, 128}) {
            long t0 = System.nanoTime();
            List<float[][]> signals = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            for (Path f : files) {
                EcgRecord r = EcgFiles.read(f);
                signals.add(new float[][]{r.lead(Lead.II)});
                rates.add(r.samplingRate());
            }
            double[] hz = rates.stream().mapToDouble(Double::doubleValue).toArray();
            long t1 = System.nanoTime();
            int k = BatchDiagnosis.diagnose(student, signals, hz, Math.max(1, packed)).size();
            long t2 = System.nanoTime();
            report("in-process", packed, k, t2 - t0, String.format(Locale.ROOT, "(reading %.1f s, scoring %.1f s)",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9));
        }
        byte[] bytes = Files.readAllBytes(model);
        for (String master : new String[]{"local[1]", "local[2]"}) {
            SparkSession spark = SparkSession.builder().master(master).appName("mvkt-spark-bench")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
            try {
                for (int packed : new int[]{0, 128}) {
                    int parts = 2 * spark.sparkContext().defaultParallelism();
                    long t0 = System.nanoTime();
                    Dataset<Row> scored = MvktSpark.score(spark, MvktSpark.readArchive(spark, archive, parts), bytes,
                            ScoreOptions.builder().optPackedWindows(packed).build());
                    scored.drop(Columns.SIGNAL).write().format("noop").mode("overwrite").save();
                    report(master, packed, n, System.nanoTime() - t0, "(" + parts + " partitions)");
                }
            } finally {
                spark.stop();
            }
        }
    }

    private static void report(String where, int packed, int records, long nanos, String note) {
        System.out.printf(Locale.ROOT, "| %-10s | %-18s | %8.1f records/s | %s%n", where,
                packed == 0 ? "pass per record" : "packed " + packed, records / (nanos / 1e9), note);
    }

    /** {@code n} synthetic records as WFDB files under {@code dir}, unless a previous run left them complete. */
    private static void writeArchive(Path dir, int n) throws IOException {
        Path done = dir.resolve(".complete");
        if (Files.exists(done)) {
            return;
        }
        Files.createDirectories(dir);
        // A small pool of generated ECGs, each written with its own amplitude so that no two files are equal.
        EcgDataset d = SyntheticEcg.builder().optSizes(Math.min(n, 200), 1, 1).build();
        for (int i = 0; i < n; i++) {
            EcgRecord r = d.train().record(i % d.train().size());
            float scale = 1 + 0.001f * i / d.train().size();
            float[][] x = new float[r.signal().length][];
            for (int l = 0; l < x.length; l++) {
                x[l] = r.signal()[l].clone();
                for (int t = 0; t < x[l].length; t++) {
                    x[l][t] *= scale;
                }
            }
            WfdbWriter.write(dir, String.format(Locale.ROOT, "r%06d", i), r.samplingRate(),
                    r.leads().stream().map(Lead::label).toList(), x, null);
        }
        Files.writeString(done, String.valueOf(n));
    }
}
