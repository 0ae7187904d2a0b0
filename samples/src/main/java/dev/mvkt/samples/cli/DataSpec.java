package dev.mvkt.samples.cli;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.datasets.Cinc;
import dev.mvkt.datasets.Cpsc2018;
import dev.mvkt.datasets.PtbXl;
import dev.mvkt.datasets.PtbXlTask;
import dev.mvkt.datasets.SyntheticEcg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What {@code --data} names: {@code synthetic}, {@code ptbxl:PATH[:task]}, {@code cpsc2018:PATH[:denoise]} (the
 * paper code's db6 wavelet denoising) or {@code cinc:PATH}. Parsing checks only the syntax and that the folder exists, so that a typo fails in
 * milliseconds, before ND4J loads.
 */
record DataSpec(Kind kind, Path root, PtbXlTask task, boolean denoise) {
    enum Kind { SYNTHETIC, PTBXL, CPSC2018, CINC }

    static final String SYNTAX = "synthetic | ptbxl:PATH[:task] | cpsc2018:PATH[:denoise] | cinc:PATH";

    /**
     * @throws IllegalArgumentException one line naming the value and what is accepted
     */
    static DataSpec parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equalsIgnoreCase("synthetic")) {
            return new DataSpec(Kind.SYNTHETIC, null, null, false);
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("unknown data '" + text + "'; expected " + SYNTAX);
        }
        String prefix = s.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = s.substring(colon + 1);
        PtbXlTask task = null;
        boolean denoise = false;
        Kind kind;
        switch (prefix) {
            case "ptbxl" -> {
                kind = Kind.PTBXL;
                task = PtbXlTask.SUPERDIAGNOSTIC;
                int last = rest.lastIndexOf(':');
                // A task suffix is a word after the last colon; a Windows drive letter ("C:\...") is not one.
                if (last > 1) {
                    task = parseTask(rest.substring(last + 1));
                    rest = rest.substring(0, last);
                }
            }
            case "cpsc2018" -> {
                kind = Kind.CPSC2018;
                int last = rest.lastIndexOf(':');
                if (last > 1 && rest.substring(last + 1).trim().equalsIgnoreCase("denoise")) {
                    denoise = true;
                    rest = rest.substring(0, last);
                }
            }
            case "cinc" -> kind = Kind.CINC;
            default -> throw new IllegalArgumentException("unknown data source '" + prefix + "' in '" + text
                    + "'; expected " + SYNTAX);
        }
        if (rest.isBlank()) {
            throw new IllegalArgumentException("--data " + prefix + ": needs a folder, e.g. " + prefix + ":/data/"
                    + prefix);
        }
        Path root = Path.of(rest);
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--data " + text + ": folder " + root + " does not exist");
        }
        return new DataSpec(kind, root, task, denoise);
    }

    private static PtbXlTask parseTask(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (n.isEmpty()) {
            throw new IllegalArgumentException("empty PTB-XL task after ':'; expected one of "
                    + Arrays.toString(PtbXlTask.values()).toLowerCase(Locale.ROOT));
        }
        for (PtbXlTask t : PtbXlTask.values()) {
            if (t.name().equals(n) || t.name().replace("DIAGNOSTIC", "").equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown PTB-XL task '" + name + "'; expected one of "
                + Arrays.toString(PtbXlTask.values()).toLowerCase(Locale.ROOT) + " (or super, sub)");
    }

    /** Loads the data; {@code seed} also seeds the synthetic generator and the CPSC/CinC folds. */
    EcgDataset load(long seed, int train, int val, int test) throws IOException {
        return load(seed, train, val, test, null, null);
    }

    /**
     * As {@link #load(long, int, int, int)}; {@code splitDir}, for CPSC2018, holds the official split CSVs;
     * {@code cacheDir}, for the real datasets, is where their float32 cache goes (null: the loaders' default).
     */
    EcgDataset load(long seed, int train, int val, int test, Path splitDir, Path cacheDir) throws IOException {
        if (splitDir != null && kind == Kind.CPSC2018) {
            return Cpsc2018.builder().setRoot(root).optSplitDir(splitDir).optDenoise(denoise).optCacheDir(cacheDir)
                    .build();
        }
        return switch (kind) {
            case SYNTHETIC -> SyntheticEcg.builder().optSeed(seed).optSizes(train, val, test).build();
            case PTBXL -> PtbXl.builder().setRoot(root).optTask(task).optCacheDir(cacheDir).build();
            case CPSC2018 -> Cpsc2018.builder().setRoot(root).optSeed(seed).optDenoise(denoise).optCacheDir(cacheDir)
                    .build();
            case CINC -> Cinc.builder().setRoot(root).optSeed(seed).optCacheDir(cacheDir).build();
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SYNTHETIC -> "synthetic";
            case PTBXL -> "ptbxl:" + root + ":" + task.name().toLowerCase(Locale.ROOT);
            case CPSC2018 -> "cpsc2018:" + root + (denoise ? ":denoise" : "");
            case CINC -> "cinc:" + root;
        };
    }
}
