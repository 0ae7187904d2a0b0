package dev.mvkt.spark;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Evaluation;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.core.ConsoleProgress;
import dev.mvkt.core.ModelFormatException;
import dev.mvkt.core.Mvkt;
import dev.mvkt.core.Student;
import dev.mvkt.datasets.EcgFiles;
import dev.mvkt.datasets.SyntheticEcg;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Scoring on Spark ({@code local[2,2]}: two task threads, a failed task tried twice) against in-process
 * {@code Student.diagnose}, with a tiny student trained here on synthetic ECGs at 100 Hz in 2.5-s windows, so that
 * the 10-s, 500-Hz shared records are resampled and read in several half-overlapping windows.
 */
class SparkScoringTest {
    static final String SKIP = "../shared/data not found: scoring of the shared CinC/CPSC records skipped";

    static SparkSession spark;
    static Path modelFile;
    static byte[] modelBytes;
    static Student student;
    static EcgDataset synthetic;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        synthetic = SyntheticEcg.builder().optSizes(32, 16, 24).optDurationSeconds(2.5).build();
        Student trained = Mvkt.student(Backbones.resnet1dWangBuilder().optWidth(4).build()).optLead(Lead.II)
                .optEpochs(1).optBatchSize(16).optListener(ConsoleProgress.silent()).trainOn(synthetic);
        modelFile = tmp.resolve("student.mvkt");
        trained.save(modelFile);
        modelBytes = Files.readAllBytes(modelFile);
        student = Student.load(modelFile);
        spark = SparkSession.builder().master("local[2,2]").appName("mvkt-spark-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    static Path sharedData() {
        List<Path> candidates = new ArrayList<>();
        String p = System.getProperty("mvkt.shared");
        if (p != null) {
            candidates.add(Path.of(p));
        }
        candidates.add(Path.of("..", "shared"));
        candidates.add(Path.of("..", "..", "shared"));
        for (Path c : candidates) {
            Path d = c.resolve("data").resolve("ecg-samples");
            if (Files.isDirectory(d)) {
                return d.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    static Map<String, Row> byId(Dataset<Row> scored) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : scored.collectAsList()) {
            assertNull(out.put(r.getString(r.fieldIndex(Columns.ID)), r), "duplicate id " + r);
        }
        return out;
    }

    static double[] doubles(Row r, String column) {
        return Values.list(r.get(r.fieldIndex(column))).stream().mapToDouble(v -> ((Number) v).doubleValue())
                .toArray();
    }

    static List<String> strings(Row r, String column) {
        return Values.list(r.get(r.fieldIndex(column))).stream().map(Object::toString).toList();
    }

    /**
     * The quality column of a scored row against diagnose's verdict: verdict, abstention and every issue (reason,
     * lead, verdict, message) equal.
     */
    static void assertQuality(Diagnosis d, Row r, String id) {
        Row q = r.getStruct(r.fieldIndex(Columns.QUALITY));
        assertNotNull(q, id + ": quality");
        assertEquals(d.quality().verdict().name(), q.getString(q.fieldIndex("verdict")), id);
        assertEquals(d.abstained(), q.getBoolean(q.fieldIndex("abstained")), id);
        List<String> want = new ArrayList<>();
        d.quality().issues().forEach(i -> want.add(i.reason() + "|" + i.lead().label() + "|" + i.verdict() + "|"
                + i.message()));
        List<String> have = new ArrayList<>();
        for (Object o : Values.list(q.get(q.fieldIndex("issues")))) {
            Row i = (Row) o;
            have.add(i.getString(0) + "|" + i.getString(1) + "|" + i.getString(2) + "|" + i.getString(3));
        }
        assertEquals(want, have, id);
    }

    @Test
    void sharedRecordsScoreExactlyAsDiagnoseInProcess() throws IOException {
        Path data = sharedData();
        assumeTrue(data != null, SKIP);
        Dataset<Row> scored = MvktSpark.score(spark, MvktSpark.readArchive(spark, data, 3), modelFile);
        Map<String, Row> rows = byId(scored);
        List<Path> files = EcgFiles.list(data);
        assertEquals(50, files.size(), "45 CinC WFDB records and 5 CPSC .mat files");
        assertEquals(files.size(), rows.size(), "one row per record");
        List<String> abstained = new ArrayList<>();
        List<String> questionable = new ArrayList<>();
        for (Path f : files) {
            EcgRecord rec = EcgFiles.read(f);
            Row r = rows.get(rec.id());
            assertNotNull(r, rec.id());
            assertNull(r.get(r.fieldIndex(Columns.ERROR)), rec.id());
            // diagnose with its quality gate on, under the default policy, as the Spark job runs it.
            Diagnosis d = student.diagnose(rec.lead(Lead.II), rec.samplingRate());
            assertQuality(d, r, rec.id());
            double[] p = doubles(r, Columns.PROBABILITIES);
            if (d.abstained()) {
                abstained.add(rec.id());
                assertEquals(d.probabilities().length, p.length, rec.id());
                assertTrue(java.util.Arrays.stream(p).allMatch(Double::isNaN), rec.id() + ": NaN, as an abstention");
            } else {
                assertArrayEquals(d.probabilities(), p, 0.0, rec.id()); // bit for bit
            }
            if (d.quality().verdict() == dev.mvkt.api.SignalQuality.Verdict.QUESTIONABLE) {
                questionable.add(rec.id());
            }
            assertArrayEquals(d.thresholds(), doubles(r, Columns.THRESHOLDS), 0.0, rec.id());
            assertEquals(d.findings(), strings(r, Columns.FINDINGS), rec.id());
            assertEquals(List.of("NORM", "AFIB", "STD_INF", "TINV_ANT", "CD"), strings(r, Columns.CLASSES));
        }
        // Lead II of JS20006 carries mains interference that buries its QRS complexes (unusable: an abstention),
        // lead II of JS20011 some (questionable: scored); QualityGateTest pins both.
        assertEquals(List.of("JS20006"), abstained);
        assertEquals(List.of("JS20011"), questionable);
        assertEquals(1, ModelCache.loads(), "the model is loaded once in this JVM, whatever the task count");
        ScoreSummary s = MvktSpark.summarize(scored);
        assertEquals(new ScoreSummary(50, 49, 1, 0, List.of()), s);
    }

    @Test
    void theQualityPolicyTravelsWithTheScoreOptions() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("policy"));
        writeSynthetic(dir, 2);
        float[][] x = synthetic.test().record(0).signal();
        // A flat line on lead II (the electrode is off) for 10 s: unusable; and a clean record of 2.5 s: questionable.
        WfdbWriter.write(dir, "flat", 100, List.of("I", "II"), new float[][]{
                java.util.Arrays.copyOf(x[0], 1000), new float[1000]}, null);
        Map<String, Map<String, Row>> byPolicy = new HashMap<>();
        for (dev.mvkt.core.QualityPolicy policy : dev.mvkt.core.QualityPolicy.values()) {
            for (int packed : new int[]{0, 8}) {
                ScoreOptions o = ScoreOptions.builder().optQualityPolicy(policy).optPackedWindows(packed).build();
                Dataset<Row> scored = MvktSpark.score(spark, MvktSpark.readArchive(spark, dir, 2), modelBytes, o);
                Map<String, Row> rows = byId(scored);
                assertEquals(3, rows.size(), "rows in = rows out");
                for (Map.Entry<String, Row> e : rows.entrySet()) {
                    EcgRecord rec = EcgFiles.read(dir.resolve(e.getKey() + ".hea"));
                    Diagnosis d = student.diagnose(rec.lead(Lead.II), rec.samplingRate(), o.diagnoseOptions());
                    assertQuality(d, e.getValue(), policy + " " + e.getKey());
                    if (!d.abstained()) {
                        assertArrayEquals(d.probabilities(), doubles(e.getValue(), Columns.PROBABILITIES),
                                packed == 0 ? 0.0 : 1e-6, policy + " " + e.getKey());
                    }
                }
                ScoreSummary s = MvktSpark.summarize(scored);
                long none = switch (policy) {
                    case ABSTAIN_WHEN_UNUSABLE -> 1;      // the flat line
                    case ABSTAIN_WHEN_QUESTIONABLE -> 3;  // and the two 2.5-s records
                    case REPORT_ONLY -> 0;
                };
                assertEquals(new ScoreSummary(3, 3 - none, none, 0, List.of()), s, policy + ", packed " + packed);
                byPolicy.put(policy + "/" + packed, rows);
            }
        }
        Row flat = byPolicy.get("REPORT_ONLY/0").get("flat");
        Row q = flat.getStruct(flat.fieldIndex(Columns.QUALITY));
        assertEquals("UNUSABLE", q.getString(0), "REPORT_ONLY still reports the verdict");
        assertTrue(!q.getBoolean(1) && doubles(flat, Columns.PROBABILITIES).length == 5);
        Row abstention = byPolicy.get("ABSTAIN_WHEN_UNUSABLE/0").get("flat");
        assertTrue(strings(abstention, Columns.FINDINGS).isEmpty());
        Row issue = (Row) Values.list(abstention.getStruct(abstention.fieldIndex(Columns.QUALITY)).get(2)).get(0);
        assertEquals(List.of("LEAD_OFF", "II", "UNUSABLE"), List.of(issue.getString(0), issue.getString(1),
                issue.getString(2)));
    }

    @Test
    void partitioningDoesNotChangeTheResultAndPackingStaysWithinFloatRounding() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("synthetic"));
        writeSynthetic(dir, 30);
        Map<String, Row> one = byId(MvktSpark.score(spark, MvktSpark.readArchive(spark, dir, 1), modelBytes,
                ScoreOptions.defaults()));
        Map<String, Row> many = byId(MvktSpark.score(spark, MvktSpark.readArchive(spark, dir, 7), modelBytes,
                ScoreOptions.defaults()));
        // A Parquet table of the same records scores the same too.
        String table = tmp.resolve("records.parquet").toString();
        MvktSpark.readArchive(spark, dir, 2).write().parquet(table);
        Map<String, Row> parquet = byId(MvktSpark.score(spark, MvktSpark.readTable(spark, table), modelBytes,
                ScoreOptions.defaults()));
        Map<String, Row> packed = byId(MvktSpark.score(spark, MvktSpark.readArchive(spark, dir, 3), modelBytes,
                ScoreOptions.builder().optPackedWindows(8).build()));
        assertEquals(30, one.size());
        assertEquals(one.keySet(), many.keySet());
        assertEquals(one.keySet(), parquet.keySet());
        assertEquals(one.keySet(), packed.keySet());
        Student inProcess = student;
        for (String id : one.keySet()) {
            assertNull(one.get(id).get(one.get(id).fieldIndex(Columns.ERROR)), id);
            double[] p = doubles(one.get(id), Columns.PROBABILITIES);
            assertArrayEquals(p, doubles(many.get(id), Columns.PROBABILITIES), 0.0, id);
            assertArrayEquals(p, doubles(parquet.get(id), Columns.PROBABILITIES), 0.0, id);
            // Packed passes: the same up to the batch-size-dependent rounding of float kernels.
            assertArrayEquals(p, doubles(packed.get(id), Columns.PROBABILITIES), 1e-6, id);
            EcgRecord rec = EcgFiles.read(dir.resolve(id + ".hea"));
            assertArrayEquals(inProcess.diagnose(rec.lead(Lead.II), rec.samplingRate()).probabilities(), p, 0.0, id);
        }
        assertEquals(1, ModelCache.loads());
    }

    @Test
    void unreadableFilesAndUnscorableRecordsBecomeErrorRows() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("corrupt"));
        writeSynthetic(dir, 3);
        float[][] x = synthetic.test().record(0).signal();
        // A header whose gain is not a number.
        Path bad = WfdbWriter.write(dir, "badgain", 100, List.of("I", "II"), new float[][]{x[0], x[1]}, null);
        Files.writeString(bad, Files.readString(bad).replace("200/mV", "abc/mV"));
        // A signal file cut short, one that is missing, a MAT file that is not MATLAB, and an unknown lead name.
        Path cut = WfdbWriter.write(dir, "truncated", 100, List.of("I", "II"), new float[][]{x[0], x[1]}, null);
        Path dat = dir.resolve("truncated.dat");
        Files.write(dat, java.util.Arrays.copyOf(Files.readAllBytes(dat), 100));
        WfdbWriter.write(dir, "nodata", 100, List.of("II"), new float[][]{x[1]}, null);
        Files.delete(dir.resolve("nodata.dat"));
        Files.writeString(dir.resolve("A9999.mat"), "not a MATLAB file");
        Path lead = WfdbWriter.write(dir, "badlead", 100, List.of("II", "X7"), new float[][]{x[1], x[2]}, null);
        // Readable, but without the student's lead II: a scoring error, not a read error.
        WfdbWriter.write(dir, "nolead", 100, List.of("I", "V1"), new float[][]{x[0], x[6]}, null);

        Dataset<Row> scored = MvktSpark.score(spark, MvktSpark.readArchive(spark, dir, 3), modelFile);
        Map<String, Row> rows = byId(scored);
        assertEquals(9, rows.size(), "rows in = rows out");
        Map<String, String> errors = new HashMap<>();
        rows.forEach((id, r) -> errors.put(id, r.getString(r.fieldIndex(Columns.ERROR))));
        for (int i = 0; i < 3; i++) {
            assertNull(errors.get("syn" + i), "syn" + i);
        }
        assertTrue(errors.get("badgain").contains("badgain.hea") && errors.get("badgain").contains("gain"),
                errors.get("badgain"));
        assertTrue(errors.get("truncated").contains("truncated"), errors.get("truncated"));
        assertTrue(errors.get("nodata").contains("nodata"), errors.get("nodata"));
        assertTrue(errors.get("A9999").contains("A9999.mat") && errors.get("A9999").contains("MATLAB"),
                errors.get("A9999"));
        assertTrue(errors.get("badlead").contains(lead.getFileName().toString())
                && errors.get("badlead").contains("X7"), errors.get("badlead"));
        assertTrue(errors.get("nolead").contains("lead II") && errors.get("nolead").contains("nolead.hea"),
                errors.get("nolead"));
        Row failed = rows.get("truncated");
        assertNull(failed.get(failed.fieldIndex(Columns.PROBABILITIES)));
        assertTrue(cut.toString().endsWith("truncated.hea"));

        ScoreSummary s = MvktSpark.summarize(scored);
        assertEquals(9, s.records());
        assertEquals(3, s.scored());
        assertEquals(0, s.abstained());
        assertEquals(6, s.failed());
        assertNull(failed.get(failed.fieldIndex(Columns.QUALITY)), "an error row has no quality verdict");
        assertEquals(6, s.examples().size());
        assertTrue(s.examples().get(0).startsWith("A9999: "), s.examples().toString());
    }

    @Test
    void aRetriedTaskDoesNotDuplicateRows() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("retry"));
        writeSynthetic(dir, 12);
        Dataset<Row> scored = MvktSpark.score(spark, MvktSpark.readArchive(spark, dir, 3), modelFile);
        // The first attempt of partition 1 dies after its first row; Spark (local[2,2]) runs the task again.
        Dataset<Row> flaky = scored.mapPartitions(new FailFirstAttempt(), Encoders.row(Columns.scored()));
        String out = tmp.resolve("retry.parquet").toString();
        flaky.drop(Columns.SIGNAL).write().parquet(out);
        Dataset<Row> back = spark.read().parquet(out);
        assertEquals(12, back.count(), "rows out = rows in, after the retry");
        assertEquals(12, back.select(Columns.ID).distinct().count(), "no id twice");
        assertEquals(0, back.filter(functions.col(Columns.ERROR).isNotNull()).count());
        assertEquals(1, ModelCache.loads(), "the retry reuses the executor's model");
    }

    @Test
    void labelledTableEvaluatesAsTheModelDoes() {
        // Test records at the model's rate and window length: one window each, exactly what evaluate() reads.
        Split test = synthetic.test();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            EcgRecord r = test.record(i);
            rows.add(RowFactory.create("t" + i, test.samplingRate(),
                    r.leads().stream().map(Lead::label).toArray(String[]::new), r.signal(), r.labels()));
        }
        Dataset<Row> table = spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType()
                .add(Columns.ID, "string").add(Columns.SAMPLING_RATE, "double").add(Columns.LEADS, "array<string>")
                .add(Columns.SIGNAL, "array<array<float>>").add(Columns.LABELS, "array<float>"));
        Evaluation e;
        try {
            e = MvktSpark.evaluate(MvktSpark.score(spark, MvktSpark.records(table, "table"), modelBytes,
                    ScoreOptions.defaults()));
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        Evaluation expected = student.evaluate(test);
        assertEquals(expected.size(), e.size());
        for (int c = 0; c < expected.labels().size(); c++) {
            assertEquals(expected.auc(c), e.auc(c), 1e-9, "AUC of " + expected.labels().name(c));
            assertEquals(expected.f1(c), e.f1(c), 1e-9, "F1 of " + expected.labels().name(c));
        }
        assertEquals(expected.macroAuc(), e.macroAuc(), 1e-9);
    }

    @Test
    void scoreJobWritesTheTableAndTheEvaluationOfALabelledTable() throws IOException {
        Split test = synthetic.test();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            EcgRecord r = test.record(i);
            rows.add(RowFactory.create("t" + i, test.samplingRate(),
                    r.leads().stream().map(Lead::label).toArray(String[]::new), r.signal(), r.labels()));
        }
        String table = tmp.resolve("job-input.parquet").toString();
        spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType()
                .add(Columns.ID, "string").add(Columns.SAMPLING_RATE, "double").add(Columns.LEADS, "array<string>")
                .add(Columns.SIGNAL, "array<array<float>>").add(Columns.LABELS, "array<float>")).write().parquet(table);
        Path eval = tmp.resolve("job-eval.json");
        String out = tmp.resolve("job-output.parquet").toString();
        ScoreJob.Options o = ScoreJob.parse(new String[]{"--model", modelFile.toString(), "--input", table,
                "--output", out, "--evaluation", eval.toString()});
        java.io.StringWriter text = new java.io.StringWriter();
        ScoreJob.Result result = ScoreJob.run(o, new java.io.PrintWriter(text, true));
        assertEquals(new ScoreSummary(test.size(), test.size(), 0, 0, List.of()), result.summary());
        assertTrue(text.toString().contains(test.size() + " records: " + test.size()
                        + " scored, 0 abstained (signal quality), 0 failed"),
                text.toString());
        Dataset<Row> written = spark.read().parquet(out);
        assertEquals(test.size(), written.count());
        assertTrue(List.of(written.columns()).contains(Columns.QUALITY));
        assertTrue(!List.of(written.columns()).contains(Columns.SIGNAL), "signals are not copied to the output");
        String json = Files.readString(eval);
        assertTrue(json.contains("\"records\": " + test.size()) && json.contains("\"name\": \"AFIB\""), json);
        assertEquals(student.evaluate(test).macroAuc(), result.evaluation().macroAuc(), 1e-9);
        // The table exists now: a second run refuses before reading anything.
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> ScoreJob.run(o, new java.io.PrintWriter(new java.io.StringWriter())));
        assertThrows(IllegalArgumentException.class, () -> ScoreJob.parse(new String[]{"--model", "m"}));
        assertThrows(IllegalArgumentException.class, () -> ScoreJob.parse(new String[]{"--model", "m", "--input",
                "i", "--output", "o", "--packed-windows", "-1"}));
        assertEquals(dev.mvkt.core.QualityPolicy.REPORT_ONLY, ScoreJob.parse(new String[]{"--model", "m", "--input",
                "i", "--output", "o", "--quality-policy", "report_only"}).score().qualityPolicy());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScoreJob.parse(new String[]{"--model", "m",
                "--input", "i", "--output", "o", "--quality-policy", "sometimes"})).getMessage().contains("sometimes"));
    }

    @Test
    void aFileThatIsNotAStudentFailsOnTheDriver() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("one"));
        writeSynthetic(dir, 1);
        Dataset<Row> records = MvktSpark.readArchive(spark, dir, 1);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> MvktSpark.score(spark, records,
                "not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8), ScoreOptions.defaults()));
        assertNotNull(e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MvktSpark.records(records.drop(Columns.SIGNAL), "t"));
    }

    /** Passes rows through, but the first attempt of partition 1 dies after its first row. */
    static final class FailFirstAttempt implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Row> call(Iterator<Row> it) {
            return new Iterator<>() {
                private int emitted;

                @Override
                public boolean hasNext() {
                    TaskContext t = TaskContext.get();
                    if (emitted == 1 && t.partitionId() == 1 && t.attemptNumber() == 0) {
                        throw new IllegalStateException("injected failure of the first attempt");
                    }
                    return it.hasNext();
                }

                @Override
                public Row next() {
                    emitted++;
                    return it.next();
                }
            };
        }
    }

    /** {@code n} synthetic 12-lead records of the test split as WFDB files at 100 Hz, named syn0, syn1, .... */
    static void writeSynthetic(Path dir, int n) throws IOException {
        Split test = synthetic.test();
        for (int i = 0; i < n; i++) {
            EcgRecord r = test.record(i % test.size());
            // Records beyond the split are the same signal scaled, so that ids differ in their scores too.
            float[][] x = new float[r.signal().length][];
            for (int l = 0; l < x.length; l++) {
                x[l] = r.signal()[l].clone();
                for (int t = 0; t < x[l].length; t++) {
                    x[l][t] *= 1 + 0.1f * (i / test.size());
                }
            }
            WfdbWriter.write(dir, "syn" + i, test.samplingRate(), r.leads().stream().map(Lead::label).toList(), x,
                    null);
        }
    }
}
