package dev.mvkt.datasets;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import dev.mvkt.api.SplitName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * PTB-XL (1.0.1 or 1.0.3 layout) read as helme/ecg_ptbxl_benchmarking and the paper do.
 *
 * <p>Labels: {@code scp_codes} aggregated through {@code scp_statements.csv} into the chosen {@link PtbXlTask},
 * likelihoods ignored, records without a label in the task dropped, classes sorted. Splits by {@code strat_fold}:
 * 1–8 train, 9 validation, 10 test. Signals: the 100 Hz ({@code filename_lr}) or 500 Hz ({@code filename_hr})
 * WFDB records, 10 s, leads in {@link Lead#STANDARD_12} order whatever the header's spelling, in millivolts.
 *
 * <p>Signals are <em>not</em> standardised: mvkt-core fits one global mean and standard deviation on the training
 * split and applies it to every split, which is the paper's protocol; {@link #trainStatistics()} reports the same
 * numbers as computed here for checking. The first load reads every record once into a float32 cache
 * ({@link Builder#optCacheDir}); later loads map that file and take seconds.
 *
 * <pre>{@code
 * EcgDataset ptb = PtbXl.builder().setRoot(path).optTask(PtbXlTask.SUPERDIAGNOSTIC).optSamplingRate(100).build();
 * }</pre>
 */
public final class PtbXl implements EcgDataset {
    static final String DATABASE = "ptbxl_database.csv";
    static final String STATEMENTS = "scp_statements.csv";

    private final Path root;
    private final PtbXlTask task;
    private final int samplingRate;
    private final String identity;
    private final EcgCache.Data data;

    private PtbXl(Path root, PtbXlTask task, int samplingRate, String identity, EcgCache.Data data) {
        this.root = root;
        this.task = task;
        this.samplingRate = samplingRate;
        this.identity = identity;
        this.data = data;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Split split(SplitName name) {
        return data.splits().get(name);
    }

    @Override
    public String identity() {
        return identity;
    }

    /** The folder holding {@code ptbxl_database.csv}. */
    public Path root() {
        return root;
    }

    public PtbXlTask task() {
        return task;
    }

    public int samplingRate() {
        return samplingRate;
    }

    /** Global mean and standard deviation of the training split, mV; reported, not applied. */
    public SignalStatistics trainStatistics() {
        return data.trainStatistics();
    }

    /** The cache file the signals are mapped from. */
    public Path cacheFile() {
        return data.file();
    }

    /** Settings for {@link PtbXl}; {@link #setRoot} is required. */
    public static final class Builder {
        private Path root;
        private PtbXlTask task = PtbXlTask.SUPERDIAGNOSTIC;
        private int samplingRate = 100;
        private Path cacheDir;
        private Path statements;

        private Builder() {
        }

        /**
         * The PTB-XL folder (with {@code ptbxl_database.csv}, {@code records100/}, {@code records500/}), or a folder
         * whose only subfolder is that one, as the PhysioNet zip unpacks.
         */
        public Builder setRoot(Path root) {
            this.root = root;
            return this;
        }

        /** Default {@link PtbXlTask#SUPERDIAGNOSTIC}. */
        public Builder optTask(PtbXlTask task) {
            this.task = task;
            return this;
        }

        /** 100 ({@code filename_lr}, default) or 500 ({@code filename_hr}). */
        public Builder optSamplingRate(int hz) {
            this.samplingRate = hz;
            return this;
        }

        /** Where the float32 cache goes; default {@code ~/.cache/mvkt}. */
        public Builder optCacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /** A {@code scp_statements.csv} other than the one in the root. */
        public Builder optScpStatements(Path file) {
            this.statements = file;
            return this;
        }

        /**
         * Reads the index, and the records unless a valid cache exists.
         *
         * @throws IllegalArgumentException naming the setting that is missing or invalid
         * @throws EcgFormatException       naming the file, line and field that cannot be read
         */
        public PtbXl build() throws IOException {
            if (root == null) {
                throw new IllegalArgumentException("PtbXl: setRoot(path) is required");
            }
            if (task == null) {
                throw new IllegalArgumentException("PtbXl: task is null; expected one of "
                        + List.of(PtbXlTask.values()));
            }
            if (samplingRate != 100 && samplingRate != 500) {
                throw new IllegalArgumentException("PtbXl: sampling rate " + samplingRate + " Hz; expected 100 or 500");
            }
            Path dir = resolveRoot(root);
            Path db = dir.resolve(DATABASE);
            Path st = statements != null ? statements : dir.resolve(STATEMENTS);
            ScpStatements scp = ScpStatements.read(st);
            Csv csv = Csv.read(db);
            String fileColumn = samplingRate == 100 ? "filename_lr" : "filename_hr";
            csv.require("ecg_id", "scp_codes", "strat_fold", fileColumn);

            List<Csv.Row> kept = new ArrayList<>();
            List<Set<String>> labelSets = new ArrayList<>();
            Set<String> classes = new TreeSet<>();
            for (Csv.Row row : csv.rows()) {
                Map<String, Double> codes;
                try {
                    codes = PyDict.parse(row.get("scp_codes"));
                } catch (IllegalArgumentException e) {
                    throw row.error("scp_codes", e.getMessage());
                }
                Set<String> y = scp.labels(task, codes.keySet());
                if (!y.isEmpty()) {
                    kept.add(row);
                    labelSets.add(y);
                    classes.addAll(y);
                }
            }
            if (classes.isEmpty()) {
                throw new EcgFormatException(db, null, "no record has a label in task " + task);
            }
            LabelSet labels = LabelSet.of(new ArrayList<>(classes));
            int length = samplingRate * 10;
            List<RecordSource> sources = new ArrayList<>();
            int[] counts = new int[3];
            for (int i = 0; i < kept.size(); i++) {
                Csv.Row row = kept.get(i);
                SplitName split = split(row);
                counts[split.ordinal()]++;
                float[] y = new float[labels.size()];
                for (String c : labelSets.get(i)) {
                    y[labels.indexOf(c)] = 1;
                }
                String rel = row.get(fileColumn).trim();
                if (rel.isEmpty()) {
                    throw row.error(fileColumn, "empty record path");
                }
                Path hea;
                try {
                    hea = dir.resolve(rel + ".hea");
                } catch (java.nio.file.InvalidPathException e) {
                    throw row.error(fileColumn, "'" + rel + "' is not a valid path: " + e.getReason());
                }
                String where = row.where(fileColumn);
                String id = rel.substring(rel.lastIndexOf('/') + 1);
                sources.add(new RecordSource(id, split, y, () -> readRecord(db, where, hea, samplingRate, length)));
            }
            String identity = String.format(Locale.ROOT,
                    "ptb-xl (root=%s, task=%s, fs=%d, classes=%d, records=%d/%d/%d, mV, unstandardised)",
                    dir.toAbsolutePath().normalize(), task.name().toLowerCase(Locale.ROOT), samplingRate,
                    labels.size(), counts[0], counts[1], counts[2]);
            String fingerprint = fingerprint(db) + ";" + fingerprint(st);
            EcgCache.Data data = EcgCache.load(cacheDir != null ? cacheDir : EcgCache.defaultDir(), "ptbxl",
                    identity, fingerprint, Lead.STANDARD_12, samplingRate, length, labels, sources);
            return new PtbXl(dir, task, samplingRate, identity, data);
        }

        private static SplitName split(Csv.Row row) throws EcgFormatException {
            String f = row.get("strat_fold").trim();
            int fold;
            try {
                fold = (int) Double.parseDouble(f);
                if (fold != Double.parseDouble(f)) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw row.error("strat_fold", "expected a fold number 1..10, found '" + f + "'");
            }
            if (fold < 1 || fold > 10) {
                throw row.error("strat_fold", "expected a fold number 1..10, found " + fold);
            }
            return fold <= 8 ? SplitName.TRAIN : fold == 9 ? SplitName.VAL : SplitName.TEST;
        }
    }

    static float[][] readRecord(Path index, String where, Path hea, int fs, int length) throws IOException {
        if (!Files.isRegularFile(hea)) {
            throw new EcgFormatException(index, where, "record header " + hea + " not found");
        }
        Wfdb.Record r = Wfdb.read(hea);
        WfdbHeader h = r.header();
        if (h.samplingRate() != fs) {
            throw new EcgFormatException(hea, "record line, field sampling frequency", h.samplingRate()
                    + " Hz; expected " + fs);
        }
        if (r.digital()[0].length != length) {
            throw new EcgFormatException(hea, "record line, field number of samples", r.digital()[0].length
                    + " samples; expected " + length + " (10 s at " + fs + " Hz)");
        }
        List<String> names = h.signals().stream().map(WfdbHeader.Signal::description).toList();
        float[][] x = Signals.reorder(hea, r.millivolts(), names, Lead.STANDARD_12);
        Signals.requirePlausible(hea, x, Lead.STANDARD_12);
        return x;
    }

    static String fingerprint(Path file) throws IOException {
        return file.toAbsolutePath().normalize() + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file)
                .toMillis();
    }

    static Path resolveRoot(Path root) throws IOException {
        if (Files.isRegularFile(root.resolve(DATABASE))) {
            return root;
        }
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.list(root)) {
                List<Path> hits = s.filter(p -> Files.isRegularFile(p.resolve(DATABASE))).toList();
                if (hits.size() == 1) {
                    return hits.get(0);
                }
            }
        }
        throw new EcgFormatException(root.resolve(DATABASE), null, "not found; expected the PTB-XL folder with "
                + DATABASE + ", " + STATEMENTS + " and records100/ or records500/");
    }
}
