package dev.mvkt.datasets;

import com.google.common.collect.ImmutableMap;
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
import java.util.stream.Stream;

/**
 * PhysioNet/CinC Challenge 2020/2021 records (CPSC, CPSC-Extra, PTB-XL, Georgia, Chapman-Shaoxing, Ningbo sources):
 * WFDB headers with their samples in MATLAB v4 files addressed by byte offset, labels as SNOMED CT codes in the
 * {@code # Dx:} comment, mapped onto the nine CPSC2018 classes ({@link Cpsc2018#LABELS}).
 *
 * <p>Code table ({@link #SNOMED_TO_CPSC}). Source: the Challenge's {@code dx_mapping_scored.csv} and
 * {@code dx_mapping_unscored.csv} (physionetchallenges/evaluation-2021), whose CPSC column gives the counts of the
 * original CPSC2018 classes under each code (918, 1221, 722, 236, 1857, 616, 700, 869, 220: exactly CPSC2018's
 * class sizes), plus the Challenge's scoring equivalences (733534002 = 164909002, 713427006 = 59118001, 63593006 =
 * 284470004, 17338001 = 427172004):
 * <table>
 *   <caption>SNOMED CT code to CPSC2018 class</caption>
 *   <tr><td>Normal</td><td>426783006 sinus rhythm</td></tr>
 *   <tr><td>AF</td><td>164889003 atrial fibrillation</td></tr>
 *   <tr><td>I-AVB</td><td>270492004 1st degree AV block</td></tr>
 *   <tr><td>LBBB</td><td>164909002 left bundle branch block; 733534002 complete LBBB</td></tr>
 *   <tr><td>RBBB</td><td>59118001 right bundle branch block; 713427006 complete RBBB</td></tr>
 *   <tr><td>PAC</td><td>284470004 premature atrial contraction; 63593006 supraventricular premature beats</td></tr>
 *   <tr><td>PVC</td><td>164884008 ventricular ectopics; 427172004 premature ventricular contractions; 17338001
 *       ventricular premature beats</td></tr>
 *   <tr><td>STD</td><td>429622005 ST depression</td></tr>
 *   <tr><td>STE</td><td>164931005 ST elevation</td></tr>
 * </table>
 * Other codes are left out of the label set; records left with no label are dropped (as PTB-XL's tasks drop them),
 * and {@link #droppedUnlabelled()} says how many. Outside CPSC "sinus rhythm" can co-occur with findings, so Normal
 * is not exclusive here. Leads are placed by their header names; records are brought to a fixed length like
 * {@link Cpsc2018} (default 5000 samples, 10 s at 500 Hz); records at an integer multiple of the rate are
 * downsampled (by at most {@link Signals#MAX_DECIMATION}), others refused. Splits: seeded stratified folds 1–8 /
 * 9 / 10.
 *
 * <p>A record shorter than {@link Signals#MIN_SECONDS} at its own rate, or with a sample that is not finite or beyond
 * {@link Signals#MAX_ABS_MV}, is refused naming its header. The cache key covers each kept record's header and
 * signal files, so changing, truncating or deleting a {@code .mat} after a first build makes the next build re-read
 * (and, if broken, refuse) it.
 */
public final class Cinc implements EcgDataset {
    /** SNOMED CT code to CPSC2018 class name; see the class comment for the source. */
    public static final Map<String, String> SNOMED_TO_CPSC = ImmutableMap.<String, String>builder()
            .put("426783006", "Normal")
            .put("164889003", "AF")
            .put("270492004", "I-AVB")
            .put("164909002", "LBBB").put("733534002", "LBBB")
            .put("59118001", "RBBB").put("713427006", "RBBB")
            .put("284470004", "PAC").put("63593006", "PAC")
            .put("164884008", "PVC").put("427172004", "PVC").put("17338001", "PVC")
            .put("429622005", "STD")
            .put("164931005", "STE")
            .build();

    private final String identity;
    private final EcgCache.Data data;
    private final int dropped;

    private Cinc(String identity, EcgCache.Data data, int dropped) {
        this.identity = identity;
        this.data = data;
        this.dropped = dropped;
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
        return Cpsc2018.LABELS;
    }

    /** Records found whose codes map to none of the nine classes. */
    public int droppedUnlabelled() {
        return dropped;
    }

    /** Global mean and standard deviation of the training split, mV; reported, not applied. */
    public SignalStatistics trainStatistics() {
        return data.trainStatistics();
    }

    public Path cacheFile() {
        return data.file();
    }

    /** The CPSC multi-hot labels of a {@code Dx} list; codes outside {@link #SNOMED_TO_CPSC} are ignored. */
    static float[] labels(Path header, String dx) throws EcgFormatException {
        return labels(header, dx, new int[1]);
    }

    /**
     * As {@link #labels(Path, String)}, and {@code first[0]} receives the CPSC class of the first mapped code in the
     * {@code Dx} order (-1 when none maps): the record's first label, as CPSC's {@code First_label}.
     */
    static float[] labels(Path header, String dx, int[] first) throws EcgFormatException {
        first[0] = -1;
        float[] y = new float[Cpsc2018.LABELS.size()];
        for (String code : dx.split(",")) {
            String c = code.strip();
            if (c.isEmpty()) {
                continue;
            }
            if (!c.chars().allMatch(Character::isDigit)) {
                throw new EcgFormatException(header, "comment Dx", "code '" + c
                        + "' is not a SNOMED CT code (digits)");
            }
            String cls = SNOMED_TO_CPSC.get(c);
            if (cls != null) {
                int k = Cpsc2018.LABELS.indexOf(cls);
                y[k] = 1;
                if (first[0] < 0) {
                    first[0] = k;
                }
            }
        }
        return y;
    }

    /** Settings for {@link Cinc}; {@link #setRoot} is required. */
    public static final class Builder {
        private Path root;
        private long seed = 0;
        private int length = 5000;
        private int samplingRate = 500;
        private Path cacheDir;

        private Builder() {
        }

        /** A folder searched recursively for {@code .hea} headers. */
        public Builder setRoot(Path root) {
            this.root = root;
            return this;
        }

        /** Seed of the stratified folds; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Samples per record at the output rate; default 5000. */
        public Builder optLength(int samples) {
            this.length = samples;
            return this;
        }

        /** Output rate; default 500 Hz. Records at an integer multiple of it are downsampled. */
        public Builder optSamplingRate(int hz) {
            this.samplingRate = hz;
            return this;
        }

        /** Where the float32 cache goes; default {@code ~/.cache/mvkt}. */
        public Builder optCacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting that is missing or invalid
         * @throws EcgFormatException       naming the header and field that cannot be read
         */
        public Cinc build() throws IOException {
            if (root == null) {
                throw new IllegalArgumentException("Cinc: setRoot(path) is required");
            }
            if (samplingRate <= 0) {
                throw new IllegalArgumentException("Cinc: sampling rate " + samplingRate + "; expected > 0");
            }
            if (length <= 0) {
                throw new IllegalArgumentException("Cinc: length " + length + "; expected > 0");
            }
            List<Path> headers;
            try (Stream<Path> s = Files.walk(root)) {
                headers = s.filter(p -> p.getFileName().toString().endsWith(".hea") && Files.isRegularFile(p))
                        .sorted().toList();
            }
            if (headers.isEmpty()) {
                throw new EcgFormatException(root, null, "no .hea headers found; expected CinC WFDB records");
            }
            List<WfdbHeader> kept = new ArrayList<>();
            List<float[]> labels = new ArrayList<>();
            List<Integer> firstLabels = new ArrayList<>();
            StringBuilder fingerprint = new StringBuilder();
            int dropped = 0;
            for (Path h : headers) {
                WfdbHeader header = WfdbHeader.read(h);
                String dx = header.comment("Dx");
                if (dx == null) {
                    throw new EcgFormatException(h, "comments", "no '# Dx:' line; expected SNOMED CT codes");
                }
                int[] first = new int[1];
                float[] y = labels(h, dx, first);
                boolean any = false;
                for (float v : y) {
                    any |= v != 0;
                }
                if (!any) {
                    dropped++;
                    continue;
                }
                double ratio = header.samplingRate() / samplingRate;
                if (ratio < 1 || ratio != Math.rint(ratio) || ratio > Signals.MAX_DECIMATION) {
                    throw new EcgFormatException(h, "record line, field sampling frequency", header.samplingRate()
                            + " Hz; expected " + samplingRate + " Hz or an integer multiple of it up to "
                            + Signals.MAX_DECIMATION + " times");
                }
                kept.add(header);
                labels.add(y);
                firstLabels.add(first[0]);
                // The cache key covers every file the record is read from: its header and its signal files.
                fingerprint.append(EcgCache.fingerprint(h)).append(';');
                Path dir = h.toAbsolutePath().getParent();
                for (String f : header.signals().stream().map(WfdbHeader.Signal::fileName).distinct().toList()) {
                    fingerprint.append(EcgCache.fingerprint(dir, f)).append(';');
                }
            }
            int[] folds = Folds.assign(labels.toArray(new float[0][]), seed);
            List<RecordSource> sources = new ArrayList<>();
            int[] counts = new int[3];
            for (int i = 0; i < kept.size(); i++) {
                WfdbHeader header = kept.get(i);
                SplitName split = Folds.split(folds[i]);
                counts[split.ordinal()]++;
                sources.add(new RecordSource(header.name(), split, labels.get(i), firstLabels.get(i),
                        () -> read(header)));
            }
            String identity = String.format(Locale.ROOT,
                    "cinc (root=%s, snomed->cpsc9, stratified-folds(seed=%d, 1-8/9/10), length=%d, fs=%d, "
                            + "records=%d/%d/%d, dropped-unlabelled=%d, centre-crop/tile, mV)",
                    root.toAbsolutePath().normalize(), seed, length, samplingRate, counts[0], counts[1], counts[2],
                    dropped);
            EcgCache.Data data = EcgCache.load(cacheDir != null ? cacheDir : EcgCache.defaultDir(), "cinc", identity,
                    fingerprint.toString(), Lead.STANDARD_12, samplingRate, length, Cpsc2018.LABELS, sources);
            return new Cinc(identity, data, dropped);
        }

        private float[][] read(WfdbHeader header) throws IOException {
            Wfdb.Record r = Wfdb.read(header);
            List<String> names = header.signals().stream().map(WfdbHeader.Signal::description).toList();
            Signals.requireLength(header.file(), "record line, field number of samples", r.digital()[0].length,
                    names.size(), header.samplingRate());
            float[][] x = Signals.reorder(header.file(), r.millivolts(), names, Lead.STANDARD_12);
            Signals.requirePlausible(header.file(), x, Lead.STANDARD_12);
            int factor = (int) Math.rint(header.samplingRate() / samplingRate);
            for (int l = 0; l < x.length; l++) {
                x[l] = Signals.fixLength(Signals.decimate(x[l], factor), length);
            }
            return x;
        }
    }
}
