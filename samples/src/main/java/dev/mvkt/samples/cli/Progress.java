package dev.mvkt.samples.cli;

import dev.mvkt.api.EpochReport;
import dev.mvkt.api.TrainingListener;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Progress of one training run on standard error, and its epoch history for the training-curve plots.
 * <p>On a console a bar is redrawn in place with {@code \r} after every step, with the epoch's ETA and the run's;
 * otherwise (a log file, CI) only one line per epoch is written, since carriage returns make logs unreadable.
 * <p>With a history file, the history is rewritten there (atomically) after every epoch, that is right after the
 * trainer's checkpoint of that epoch. A resumed run starts from the earlier process's history, keeps the epochs
 * before the first one it trains itself (an epoch trained again replaces the old report), and so reports the whole
 * run. Should a process die between a checkpoint and its history write, that one epoch's report is lost, and the
 * resumed run says so.
 */
final class Progress implements TrainingListener {
    private static final int BAR = 24;

    private final String model;
    private final PrintStream err;
    private final boolean console;
    private final Path historyFile;
    private final List<EpochReport> history = new ArrayList<>();
    /** Epochs trained by this process (the ETA is per epoch of this process). */
    private int epochsHere;
    private final long runStart = System.nanoTime();
    private long epochStart = System.nanoTime();
    private long lastDraw;

    Progress(String model, PrintStream err, boolean console) {
        this.model = model;
        this.err = err;
        this.console = console;
        this.historyFile = null;
    }

    /**
     * A listener that keeps its history in {@code historyFile}; with {@code resume}, the history that an earlier
     * process left there is where it starts.
     */
    Progress(String model, PrintStream err, boolean console, Path historyFile, boolean resume) throws IOException {
        this.model = model;
        this.err = err;
        this.console = console;
        this.historyFile = historyFile;
        if (resume) {
            history.addAll(EpochHistory.read(historyFile));
        }
    }

    /** A listener for {@code model} that draws a bar when a console is attached, with its history in a file. */
    static Progress forModel(String model, PrintStream err, Path historyFile, boolean resume) throws IOException {
        return new Progress(model, err, err == System.err && System.console() != null, historyFile, resume);
    }

    List<EpochReport> history() {
        return List.copyOf(history);
    }

    @Override
    public void onStep(String stage, int epoch, int step, int stepsPerEpoch, double loss) {
        if (!console) {
            return;
        }
        long now = System.nanoTime();
        // Redrawing more often than ~10 times a second only costs terminal time.
        if (step < stepsPerEpoch && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        double perStep = (now - epochStart) / 1e9 / step;
        int filled = (int) Math.round(BAR * (double) step / stepsPerEpoch);
        err.print(String.format(Locale.ROOT, "\r%s epoch %d: [%s%s] %d/%d loss %.4f  ETA epoch %s",
                model, epoch, "#".repeat(filled), ".".repeat(BAR - filled), step, stepsPerEpoch, loss,
                clock(perStep * (stepsPerEpoch - step))));
        err.flush();
    }

    @Override
    public void onEpoch(EpochReport r) {
        if (epochsHere == 0) {
            continueHistory(r.epoch());
        }
        history.add(r);
        epochsHere++;
        if (historyFile != null) {
            try {
                EpochHistory.write(historyFile, history);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the epoch history " + historyFile, e);
            }
        }
        long now = System.nanoTime();
        double perEpoch = (now - runStart) / 1e9 / epochsHere;
        String eta = r.epoch() < r.epochs() ? "  ETA run " + clock(perEpoch * (r.epochs() - r.epoch())) : "";
        StringBuilder parts = new StringBuilder();
        if (r.lossParts().size() > 1) {
            r.lossParts().forEach((k, v) -> parts.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
        }
        // Pretraining has no labels, so no validation AUC and no best epoch (the last is kept).
        boolean scored = !Double.isNaN(r.valAuc());
        err.print(String.format(Locale.ROOT, "%s%s epoch %d/%d  loss %.4f%s%s  %.1f s%s%s%n",
                console ? "\r\033[K" : "", model, r.epoch(), r.epochs(), r.loss(),
                parts.length() > 0 ? " (" + parts.substring(1) + ")" : "",
                scored ? String.format(Locale.ROOT, "  val AUC %.4f", r.valAuc()) : "", r.millis() / 1000.0,
                r.best() && scored ? "  *best" : "", eta));
        err.flush();
        epochStart = now;
    }

    /** Drops earlier reports of epochs this process trains again, and says which epochs have no report. */
    private void continueHistory(int firstEpoch) {
        history.removeIf(h -> h.epoch() >= firstEpoch);
        int last = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
        if (firstEpoch > 1 && last < firstEpoch - 1) {
            err.printf(Locale.ROOT, "%s: no report of epoch%s %s in the history (resumed from a checkpoint whose "
                            + "epoch report was not written); the training curves skip %s%n", model,
                    last + 1 < firstEpoch - 1 ? "s" : "", last + 1 < firstEpoch - 1 ? (last + 1) + "-"
                            + (firstEpoch - 1) : String.valueOf(last + 1), last + 1 < firstEpoch - 1 ? "them" : "it");
        }
    }

    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
