package dev.mvkt.api;

import java.util.Map;

/**
 * The outcome of one training epoch.
 *
 * @param stage      "teacher" or "student"
 * @param epoch      1-based epoch number
 * @param epochs     planned number of epochs
 * @param loss       mean training loss over the epoch
 * @param lossParts  mean of each named loss term over the epoch
 * @param valAuc     macro AUC on the validation split after the epoch
 * @param millis     wall time of the epoch including validation
 * @param best       whether this epoch is the best so far on validation AUC (and so the one kept)
 */
public record EpochReport(String stage, int epoch, int epochs, double loss, Map<String, Double> lossParts,
                          double valAuc, long millis, boolean best) {
}
