package dev.mvkt.api;

/** Hears about training progress; the default listener prints one line per epoch. */
public interface TrainingListener {

    /** Called at the end of each epoch. */
    void onEpoch(EpochReport report);

    /** Called after each optimisation step; {@code step} is 1-based within the epoch. */
    default void onStep(String stage, int epoch, int step, int stepsPerEpoch, double loss) {
    }
}
