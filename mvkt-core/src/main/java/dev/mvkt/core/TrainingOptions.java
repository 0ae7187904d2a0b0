package dev.mvkt.core;

import dev.mvkt.api.TrainingListener;
import dev.mvkt.backbones.DecayScope;

import java.nio.file.Path;

/**
 * Optimisation settings shared by both stages.
 *
 * @param schedule      the learning rate's factor per epoch, on {@code learningRate}
 * @param decayScope    which parameters the weight decay applies to (the projection heads' biases too when all)
 * @param thresholds    how the kept model's class thresholds are set
 * @param deterministic one-threaded numeric kernels, for identical results in every process
 * @param patience      stop after this many epochs without a better validation AUC; 0 trains all epochs
 * @param checkpointDir where a checkpoint is written after every epoch, or null for none
 * @param resume        continue from the matching checkpoint in {@code checkpointDir} when there is one
 * @param init          how the network started ("random", or the teacher's weights), for checkpoint matching
 * @param calibration   how the kept model's probabilities are calibrated on validation (after training, so not
 *                      part of a checkpoint's identity)
 * @param engine        engine speed-ups (the teacher-output cache among them)
 */
record TrainingOptions(int epochs, int batchSize, double learningRate, LearningRateSchedule schedule,
                       double weightDecay, DecayScope decayScope, Thresholds thresholds, boolean deterministic,
                       long seed, TrainingListener listener, int patience, Path checkpointDir,
                       boolean resume, String init, Calibration calibration,
                       dev.mvkt.backbones.EngineOptions engine) {
}
