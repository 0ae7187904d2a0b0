package dev.mvkt.datasets;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import dev.mvkt.api.SplitName;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sources;
import us.hebi.matlab.mat.types.Struct;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ICBEB2018 / CPSC2018 from its original MATLAB v5 records ({@code A0001.mat}: struct {@code ECG} with fields
 * {@code sex}, {@code age}, {@code data}: 12 x N doubles in mV at 500 Hz, leads I, II, III, aVR, aVL, aVF, V1–V6).
 *
 * <p>Nine classes ({@link #LABELS}, codes 1..9 of {@code REFERENCE.csv}), multi-hot from every listed label. Every
 * record is brought to a fixed length (default 10000 samples, 20 s) as the paper's {@code CenterCrop1D} does:
 * the centre when longer, the record repeated end to end when shorter; then optionally downsampled to 100 Hz.
 * Splits: the paper's split CSVs ({@link Builder#optSplitDir}) or seeded stratified folds 1–8 / 9 / 10 of
 * {@code REFERENCE.csv}. Signals stay in mV (see {@link PtbXl} on standardisation).
 *
 * <p>{@link Builder#optDenoise} adds the paper's code's wavelet denoising (off by default): per lead, on the whole
 * record at 500 Hz and before the crop or tile, in every split (the order of {@code preprocess_strategy_exp3} in the
 * paper's {@code utils/imagepreprocess_FA_exp3.py}: {@code denosing_db6}, then {@code CenterCrop1D}),
 * {@code pywt.wavedec(x, 'db6', level=9)} with cA9, cD1 and cD2 set to zero and {@code pywt.waverec}, which keeps about
 * 0.5–62.5 Hz. Level 9 is used for every record, also those shorter than 5632 samples for which it exceeds pywt's
 * {@code dwt_max_level} (pywt warns and computes it; so does this loader, with the same result). Two differences
 * from the paper's code, both small: it computes in float32 (its reader casts to float32 first), this in double
 * precision from the same float32 samples (the results differ by about 1e-6 mV); and for a record of odd length pywt
 * returns one extra sample, which the paper's code keeps (shifting a long record's centre crop by one sample, and
 * tiling a short one with period {@code n + 1}), while this loader drops it so a record keeps its {@code n} samples.
 *
 * <p>Refused, naming the file and field: a record shorter than {@link Signals#MIN_SECONDS} (1000 samples; tiling it
 * to 20 s would invent a record), a sample that is not finite as float32 or beyond {@link Signals#MAX_ABS_MV},
 * complex data, a struct array or a second {@code ECG} variable, and a file whose MAT structure does not fit in its
 * bytes ({@link Mat5Check}). The cache key covers the index and every record's {@code .mat}.
 */
public final class Cpsc2018 implements EcgDataset {
    /** Class names in output order; class {@code k} is label code {@code k + 1}. */
    public static final LabelSet LABELS = LabelSet.of("Normal", "AF", "I-AVB", "LBBB", "RBBB", "PAC", "PVC", "STD",
            "STE");
    static final int NATIVE_RATE = 500;
    /** What {@link Builder#optDenoise} adds to the identity (and so to the cache key); absent when off. */
    static final String DENOISE_IDENTITY = "db6-denoised(level=9, cA9+cD1+cD2 zeroed, whole record)";

    private final String identity;
    private final EcgCache.Data data;

    private Cpsc2018(String identity, EcgCache.Data data) {
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

    @Override
    public LabelSet labels() {
        return LABELS;
    }

    /** Global mean and standard deviation of the training split, mV; reported, not applied. */
    public SignalStatistics trainStatistics() {
        return data.trainStatistics();
    }

    public Path cacheFile() {
        return data.file();
    }

    /** Settings for {@link Cpsc2018}; {@link #setRoot} is required. */
    public static final class Builder {
        private Path root;
        private Path reference;
        private Path splitDir;
        private long seed = 0;
        private int length = 10000;
        private int samplingRate = NATIVE_RATE;
        private boolean denoise = false;
        private Path cacheDir;

        private Builder() {
        }

        /** The folder holding the {@code A*.mat} records. */
        public Builder setRoot(Path root) {
            this.root = root;
            return this;
        }

        /** The label file for fold splitting; default {@code REFERENCE.csv} in the root. */
        public Builder optReference(Path file) {
            this.reference = file;
            return this;
        }

        /**
         * A folder with {@code TRAIN_reference.csv}, {@code VAL_reference.csv} and {@code TEST_reference.csv}
         * (the paper's split); their labels are used. Without it, stratified folds of the reference file.
         */
        public Builder optSplitDir(Path dir) {
            this.splitDir = dir;
            return this;
        }

        /** Seed of the stratified folds; default 0. Ignored with {@link #optSplitDir}. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Samples per record at 500 Hz, before any downsampling; default 10000. */
        public Builder optLength(int samplesAt500Hz) {
            this.length = samplesAt500Hz;
            return this;
        }

        /** 500 (native, default) or 100 (windowed-sinc low-pass, then every fifth sample). */
        public Builder optSamplingRate(int hz) {
            this.samplingRate = hz;
            return this;
        }

        /**
         * Whether to apply the paper's code's db6 wavelet denoising (level 9; cA9, cD1 and cD2 zeroed) to each lead
         * of each whole record before the crop or tile and any downsampling; default false. It is part of the
         * dataset's identity, so a denoised and a raw load never share a cache file. See the class comment.
         */
        public Builder optDenoise(boolean denoise) {
            this.denoise = denoise;
            return this;
        }

        /** Where the float32 cache goes; default {@code ~/.cache/mvkt}. */
        public Builder optCacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting that is missing or invalid
         * @throws EcgFormatException       naming the file, line and field that cannot be read
         */
        public Cpsc2018 build() throws IOException {
            if (root == null) {
                throw new IllegalArgumentException("Cpsc2018: setRoot(path) is required");
            }
            if (samplingRate != 500 && samplingRate != 100) {
                throw new IllegalArgumentException("Cpsc2018: sampling rate " + samplingRate
                        + " Hz; expected 500 or 100");
            }
            int factor = NATIVE_RATE / samplingRate;
            if (length <= 0 || length % factor != 0) {
                throw new IllegalArgumentException("Cpsc2018: length " + length
                        + "; expected a positive multiple of " + factor);
            }
            List<RecordSource> sources = new ArrayList<>();
            String splitDesc;
            String fingerprint;
            int outLength = length / factor;
            if (splitDir != null) {
                fingerprint = "";
                for (SplitName s : SplitName.values()) {
                    Path f = splitDir.resolve(s.name() + "_reference.csv");
                    fingerprint += EcgCache.fingerprint(f) + ";";
                    for (Reference r : readReference(f).values()) {
                        sources.add(source(r, s, factor));
                    }
                }
                splitDesc = "split=" + splitDir.toAbsolutePath().normalize();
            } else {
                Path ref = reference != null ? reference : root.resolve("REFERENCE.csv");
                fingerprint = EcgCache.fingerprint(ref);
                List<Reference> refs = new ArrayList<>(readReference(ref).values());
                float[][] y = new float[refs.size()][];
                for (int i = 0; i < y.length; i++) {
                    y[i] = refs.get(i).labels;
                }
                int[] folds = Folds.assign(y, seed);
                for (int i = 0; i < y.length; i++) {
                    sources.add(source(refs.get(i), Folds.split(folds[i]), factor));
                }
                splitDesc = "stratified-folds(seed=" + seed + ", 1-8/9/10)";
            }
            int[] counts = new int[3];
            sources.forEach(s -> counts[s.split().ordinal()]++);
            // The cache key covers every file a record is read from, not only the index: see EcgCache.fingerprint.
            StringBuilder records = new StringBuilder(fingerprint);
            for (RecordSource s : sources) {
                records.append(';').append(EcgCache.fingerprint(root.resolve(s.id() + ".mat")));
            }
            fingerprint = records.toString();
            String identity = String.format(Locale.ROOT,
                    "cpsc2018 (root=%s, %s, length=%d@500Hz, fs=%d, records=%d/%d/%d, %scentre-crop/tile, mV)",
                    root.toAbsolutePath().normalize(), splitDesc, length, samplingRate, counts[0], counts[1],
                    counts[2], denoise ? DENOISE_IDENTITY + ", " : "");
            EcgCache.Data data = EcgCache.load(cacheDir != null ? cacheDir : EcgCache.defaultDir(), "cpsc2018",
                    identity, fingerprint, Lead.STANDARD_12, samplingRate, outLength, LABELS, sources);
            return new Cpsc2018(identity, data);
        }

        private RecordSource source(Reference r, SplitName split, int factor) throws EcgFormatException {
            Path mat;
            try {
                mat = root.resolve(r.id + ".mat");
            } catch (java.nio.file.InvalidPathException e) {
                throw new EcgFormatException(r.file, "line " + r.line + ", field Recording", "'" + r.id
                        + "' is not a valid file name: " + e.getReason());
            }
            if (!root.toAbsolutePath().normalize().equals(mat.toAbsolutePath().normalize().getParent())) {
                throw new EcgFormatException(r.file, "line " + r.line + ", field Recording", "'" + r.id
                        + "'; expected a record name, without a path");
            }
            return new RecordSource(r.id, split, r.labels, r.firstLabel, () -> {
                if (!Files.isRegularFile(mat)) {
                    throw new EcgFormatException(r.file, "line " + r.line + ", field Recording", "record file "
                            + mat + " not found");
                }
                float[][] x = readMat(mat);
                // Tiling a fragment to the fixed length would invent a record; see Signals.MIN_SECONDS.
                Signals.requireLength(mat, "field ECG.data", x[0].length, x.length, NATIVE_RATE);
                for (int l = 0; l < x.length; l++) {
                    float[] lead = denoise ? Wavelet.denoise(x[l]) : x[l];
                    x[l] = Signals.decimate(Signals.fixLength(lead, length), factor);
                }
                return x;
            });
        }
    }

    /** One row of a CPSC reference file; {@code firstLabel} is the class index of its first listed label. */
    record Reference(String id, float[] labels, int firstLabel, Path file, int line) {
    }

    /**
     * Reads {@code Recording,First_label,Second_label,Third_label}; later labels may be blank.
     *
     * @throws EcgFormatException naming the line and field of a label that is not 1..9 or a repeated record
     */
    static Map<String, Reference> readReference(Path file) throws IOException {
        Csv csv = Csv.read(file);
        csv.require("Recording", "First_label");
        Map<String, Reference> out = new LinkedHashMap<>();
        for (Csv.Row row : csv.rows()) {
            String id = row.get("Recording").trim();
            if (id.isEmpty()) {
                throw row.error("Recording", "empty record name");
            }
            float[] y = new float[LABELS.size()];
            int n = 0;
            int first = -1;
            for (int col = 1; col < Math.max(row.size(), csv.header().size()); col++) {
                String v = row.get(col).trim();
                String name = col < csv.header().size() ? csv.header().get(col) : "column " + (col + 1);
                if (v.isEmpty()) {
                    continue;
                }
                int code;
                try {
                    code = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    code = -1;
                }
                if (code < 1 || code > LABELS.size()) {
                    throw row.error(name, "label '" + v + "'; expected a class code 1..9");
                }
                y[code - 1] = 1;
                if (n == 0) {
                    first = code - 1;
                }
                n++;
            }
            if (n == 0) {
                throw row.error("First_label", "record " + id + " has no label; expected a class code 1..9");
            }
            if (out.put(id, new Reference(id, y, first, file, row.line())) != null) {
                throw row.error("Recording", "record " + id + " listed twice");
            }
        }
        return out;
    }

    /**
     * Reads the {@code ECG.data} matrix of an original CPSC2018 record, in mV, {@code [12][samples]}.
     *
     * @throws EcgFormatException if it is not a MAT v5 file whose structure fits in its bytes, has no single
     *                            {@code ECG} struct with a real 12-row {@code data} matrix, or holds a sample that
     *                            is not finite as float32 or beyond {@link Signals#MAX_ABS_MV}
     */
    static float[][] readMat(Path file) throws IOException {
        byte[] bytes = Mat5Check.read(file);
        MatFile mat;
        try {
            mat = Mat5.newReader(Sources.wrap(bytes)).disableSubsystemProcessing().readMat();
        } catch (IOException | RuntimeException e) {
            throw new EcgFormatException(file, null, "not a readable MATLAB v5 file: " + e, e);
        }
        try (MatFile m = mat) {
            return ecgData(file, m);
        } catch (RuntimeException e) {
            // MFL signals a shape it did not expect (a struct array, a dimension mismatch) with unchecked exceptions.
            throw new EcgFormatException(file, "variable ECG", "cannot be read as struct ECG with a 12 x N data "
                    + "matrix: " + e, e);
        }
    }

    private static float[][] ecgData(Path file, MatFile m) throws EcgFormatException {
        Array ecg = null;
        List<String> names = new ArrayList<>();
        for (MatFile.Entry e : m.getEntries()) {
            names.add(e.getName());
            if (e.getName().equals("ECG")) {
                if (ecg != null) {
                    throw new EcgFormatException(file, "variable ECG", "appears twice; expected one struct ECG");
                }
                ecg = e.getValue();
            }
        }
        if (!(ecg instanceof Struct s)) {
            throw new EcgFormatException(file, "variable ECG", ecg == null ? "no variable 'ECG'; found "
                    + names + ", expected struct ECG with fields sex, age, data" : "ECG is a " + ecg.getType()
                    + ", expected a struct with fields sex, age, data");
        }
        if (s.getNumElements() != 1) {
            throw new EcgFormatException(file, "variable ECG", "is a " + dims(s) + " struct array; expected "
                    + "a single struct");
        }
        if (!s.getFieldNames().contains("data")) {
            throw new EcgFormatException(file, "variable ECG", "struct has fields " + s.getFieldNames()
                    + ", expected sex, age, data");
        }
        Array a = s.get("data");
        if (!(a instanceof Matrix d)) {
            throw new EcgFormatException(file, "field ECG.data", "is a " + a.getType() + ", expected a numeric"
                    + " 12 x N matrix");
        }
        if (d.getNumDimensions() != 2) {
            throw new EcgFormatException(file, "field ECG.data", "is a " + dims(d) + " array; expected a 12 x N "
                    + "matrix");
        }
        if (d.isComplex()) {
            throw new EcgFormatException(file, "field ECG.data", "is complex; expected real millivolts (the "
                    + "imaginary part would be lost)");
        }
        int rows = d.getNumRows();
        int cols = d.getNumCols();
        if (rows != 12) {
            throw new EcgFormatException(file, "field ECG.data", rows + " x " + cols
                    + " matrix; expected 12 leads (rows)");
        }
        if (cols < 1) {
            throw new EcgFormatException(file, "field ECG.data", "has no samples");
        }
        if ((long) rows * cols > Signals.MAX_SAMPLES) {
            throw new EcgFormatException(file, "field ECG.data", rows + " x " + cols + " is more than the limit "
                    + "of " + Signals.MAX_SAMPLES + " samples per record");
        }
        float[][] x = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = d.getDouble(r, c);
                float f = (float) v;
                // Checked after the cast: a double such as 1e39 is finite but overflows float32.
                if (!Float.isFinite(f)) {
                    throw new EcgFormatException(file, "field ECG.data, lead " + Lead.STANDARD_12.get(r)
                            + ", sample " + c, "value " + v + "; expected a finite number within float32");
                }
                if (Math.abs(f) > Signals.MAX_ABS_MV) {
                    throw new EcgFormatException(file, "field ECG.data, lead " + Lead.STANDARD_12.get(r)
                            + ", sample " + c, "value " + v + " mV; expected at most " + Signals.MAX_ABS_MV
                            + " mV in magnitude");
                }
                x[r][c] = f;
            }
        }
        return x;
    }

    private static String dims(Array a) {
        StringBuilder sb = new StringBuilder();
        for (int d : a.getDimensions()) {
            sb.append(sb.length() == 0 ? "" : " x ").append(d);
        }
        return sb.toString();
    }
}
