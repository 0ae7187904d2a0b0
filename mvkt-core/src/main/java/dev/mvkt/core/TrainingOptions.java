package dev.mvkt.core;

import dev.mvkt.api.TrainingListener;

import java.nio.file.Path;

/**
 * Optimisation settings shared by both stages.
 *
 * @param schedule      the learning rate's factor per epoch, on {@code learningRate}
 * @param patience      stop after this many epochs without a better validation AUC; 0 trains all epochs
 * @param checkpointDir where a checkpoint is written after every epoch, or null for none
 * @param resume        continue from the matching checkpoint in {@code checkpointDir} when there is one
 * @param init          how the network started ("random", or the teacher's weights), for checkpoint matching
 */
record TrainingOptions(int epochs, int batchSize, double learningRate, LearningRateSchedule schedule,
                       double weightDecay, long seed, TrainingListener listener, int patience, Path checkpointDir,
                       boolean resume, String init) {
}
