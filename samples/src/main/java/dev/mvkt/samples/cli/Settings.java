package dev.mvkt.samples.cli;

/** The training and reporting settings shared by every model of a run. */
record Settings(int epochs, int batchSize, double learningRate, long seed, int earlyStopping, boolean resume,
                int width, int bootstrap) {
    /** What must match for a model saved by an earlier run to be reused by {@code --resume}. */
    String fingerprint() {
        return "epochs=" + epochs + " batch=" + batchSize + " lr=" + learningRate + " seed=" + seed
                + " patience=" + earlyStopping + " width=" + width;
    }
}
