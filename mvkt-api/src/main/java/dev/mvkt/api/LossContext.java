package dev.mvkt.api;

/**
 * What a stateful loss term (CLT's memory banks) needs to know before training starts.
 *
 * @param trainSize        number of training records (memory bank rows)
 * @param trainLabels      {@code [trainSize][classes]} multi-hot labels of the training split, or null
 * @param trainFirstLabels {@code [trainSize]} each record's first label as its dataset lists it
 *                         ({@link Split#firstLabel}), or null where only the multi-hot labels are known
 * @param seed             seed for any randomness of the term (bank initialisation, negative sampling)
 */
public record LossContext(int trainSize, float[][] trainLabels, int[] trainFirstLabels, long seed) {
    public LossContext {
        if (trainSize <= 0) {
            throw new IllegalArgumentException("trainSize must be positive, was " + trainSize);
        }
        if (trainLabels != null && trainLabels.length != trainSize) {
            throw new IllegalArgumentException("trainLabels has " + trainLabels.length + " rows, expected "
                    + trainSize);
        }
        if (trainFirstLabels != null && trainFirstLabels.length != trainSize) {
            throw new IllegalArgumentException("trainFirstLabels has " + trainFirstLabels.length
                    + " entries, expected " + trainSize);
        }
    }

    /** A context without first labels: first-label sampling then takes each row's lowest positive class. */
    public LossContext(int trainSize, float[][] trainLabels, long seed) {
        this(trainSize, trainLabels, null, seed);
    }
}
