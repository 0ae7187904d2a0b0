package dev.mvkt.core;

import dev.mvkt.api.TrainingListener;

import java.nio.file.Path;

/**
 * Optimisation settings shared by both stages.
 *
 * @param patience      stop after this many epochs without a better validation AUC; 0 trains all epochs
 * @param checkpointDir where a checkpoint is written after every epoch, or null for none
 * @param resume        continue from the matching checkpoint in {@code checkpointDir} when there is one
 */
record TrainingOptions(int epochs, int batchSize, double learningRate, double weightDecay, long seed,
                       TrainingListener listener, int patience, Path checkpointDir, boolean resume) {
}
