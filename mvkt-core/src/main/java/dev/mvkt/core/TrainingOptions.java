package dev.mvkt.core;

import dev.mvkt.api.TrainingListener;

/** Optimisation settings shared by both stages. */
record TrainingOptions(int epochs, int batchSize, double learningRate, double weightDecay, long seed,
                       TrainingListener listener) {
}
