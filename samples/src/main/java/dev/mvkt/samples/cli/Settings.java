package dev.mvkt.samples.cli;

import dev.mvkt.core.LearningRateSchedule;

import java.util.List;

/** The training and reporting settings shared by every model of a run. */
record Settings(int epochs, int batchSize, double learningRate, String lrSchedule, boolean initFromTeacher, long seed,
                int earlyStopping, boolean resume, int width, int bootstrap) {
    /** {@code --lr-schedule} values. */
    static final List<String> SCHEDULES = List.of("constant", "paper-code");

    /** What must match for a model saved by an earlier run to be reused by {@code --resume}. */
    String fingerprint() {
        return "epochs=" + epochs + " batch=" + batchSize + " lr=" + learningRate + " schedule=" + lrSchedule
                + " init=" + (initFromTeacher ? "teacher" : "random") + " seed=" + seed + " patience=" + earlyStopping
                + " width=" + width;
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
