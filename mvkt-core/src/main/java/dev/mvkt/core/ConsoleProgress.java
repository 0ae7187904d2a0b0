package dev.mvkt.core;

import dev.mvkt.api.EpochReport;
import dev.mvkt.api.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;

/** Prints one line per epoch: loss and its terms, validation AUC, time, and whether the epoch is the best so far. */
public final class ConsoleProgress implements TrainingListener {
    private final PrintStream out;

    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    /** Progress on standard output. */
    public static ConsoleProgress stdout() {
        return new ConsoleProgress(System.out);
    }

    /** A listener that prints nothing. */
    public static TrainingListener silent() {
        return r -> {
        };
    }

    @Override
    public void onEpoch(EpochReport r) {
        StringBuilder parts = new StringBuilder();
        if (r.lossParts().size() > 1) {
            r.lossParts().forEach((k, v) -> parts.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
        }
        out.printf(Locale.ROOT, "[%s] epoch %2d/%d  loss %.4f%s  val AUC %.4f  %5.1f s%s%n", r.stage(), r.epoch(),
                r.epochs(), r.loss(), parts.length() > 0 ? " (" + parts.substring(1) + ")" : "", r.valAuc(),
                r.millis() / 1000.0, r.best() ? "  *" : "");
        out.flush();
    }
}
