package dev.mvkt.samples.cli;

import dev.mvkt.core.LearningRateSchedule;

import java.util.List;

/**
 * The training and reporting settings shared by every model of a run; {@code jobs} is how many models train at once
 * (not part of the fingerprint: with more than one, the recipe is deterministic, and that is).
 */
record Settings(int epochs, int batchSize, double learningRate, String lrSchedule, boolean initFromTeacher, long seed,
                int earlyStopping, boolean resume, int width, int bootstrap, Recipe recipe, int jobs) {
    /** {@code --lr-schedule} values. */
    static final List<String> SCHEDULES = List.of("constant", "paper-code");

    /** What must match for a model saved by an earlier run to be reused by {@code --resume}. */
    String fingerprint() {
        return "epochs=" + epochs + " batch=" + batchSize + " lr=" + learningRate + " schedule=" + lrSchedule
                + " init=" + (initFromTeacher ? "teacher" : "random") + " seed=" + seed + " patience=" + earlyStopping
                + " width=" + width + " recipe=" + recipe.values();
    }

    /** The same settings for another seed (one run of {@code --seeds}). */
    Settings withSeed(long other) {
        return new Settings(epochs, batchSize, learningRate, lrSchedule, initFromTeacher, other, earlyStopping, resume,
                width, bootstrap, recipe, jobs);
    }

    LearningRateSchedule schedule() {
        return switch (lrSchedule) {
            case "constant" -> LearningRateSchedule.constant();
            case "paper-code" -> LearningRateSchedule.paperCode();
            default -> throw new IllegalArgumentException("--lr-schedule must be one of " + SCHEDULES + ", was "
                    + lrSchedule);
        };
    }
}
