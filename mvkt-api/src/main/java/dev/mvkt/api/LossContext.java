package dev.mvkt.api;

/**
 * What a stateful loss term (CLT's memory banks) needs to know before training starts.
 *
 * @param trainSize   number of training records (memory bank rows)
 * @param trainLabels {@code [trainSize][classes]} multi-hot labels of the training split
 * @param seed        seed for any randomness of the term (bank initialisation, negative sampling)
 */
public record LossContext(int trainSize, float[][] trainLabels, long seed) {
    public LossContext {
        if (trainSize <= 0) {
            throw new IllegalArgumentException("trainSize must be positive, was " + trainSize);
        }
        if (trainLabels != null && trainLabels.length != trainSize) {
            throw new IllegalArgumentException("trainLabels has " + trainLabels.length + " rows, expected "
                    + trainSize);
        }
    }
}
