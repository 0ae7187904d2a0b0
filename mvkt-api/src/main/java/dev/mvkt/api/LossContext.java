package dev.mvkt.api;

/**
 * What a stateful loss term (CLT's memory banks) needs to know before training starts.
 *
 * @param trainSize        number of training records (memory bank rows)
 * @param trainLabels      {@code [trainSize][classes]} multi-hot labels of the training split, or null
 * @param trainFirstLabels {@code [trainSize]} each record's first label as its dataset lists it
 *                         ({@link Split#firstLabel}), or null where only the multi-hot labels are known
 * @param trainLabelled    {@code [trainSize]} whether each record carries labels ({@link Split#isLabelled}), or null
 *                         when all do; an unlabelled record's labels and first label are unknown, not negative
 * @param seed             seed for any randomness of the term (bank initialisation, negative sampling)
 */
public record LossContext(int trainSize, float[][] trainLabels, int[] trainFirstLabels, boolean[] trainLabelled,
                          long seed) {
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
        if (trainLabelled != null && trainLabelled.length != trainSize) {
            throw new IllegalArgumentException("trainLabelled has " + trainLabelled.length + " entries, expected "
                    + trainSize);
        }
    }

    /** A context in which every record is labelled. */
    public LossContext(int trainSize, float[][] trainLabels, int[] trainFirstLabels, long seed) {
        this(trainSize, trainLabels, trainFirstLabels, null, seed);
    }

    /** Whether record {@code i} carries labels. */
    public boolean isLabelled(int i) {
        return trainLabelled == null || trainLabelled[i];
    }

    /** A context without first labels: first-label sampling then takes each row's lowest positive class. */
    public LossContext(int trainSize, float[][] trainLabels, long seed) {
        this(trainSize, trainLabels, null, seed);
    }
}
