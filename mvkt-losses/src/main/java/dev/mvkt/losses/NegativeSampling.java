package dev.mvkt.losses;

/** Where CLT draws its K negatives from, for each anchor. */
public enum NegativeSampling {
    /** Any other training sample, uniformly; without replacement unless fewer than K remain. */
    UNIFORM,
    /**
     * Only samples whose first label differs from the anchor's, as the public code does, so that a negative is less
     * likely to share the anchor's main diagnosis. Without replacement unless that pool is smaller than K.
     * The first label is the index of the first positive entry of the multi-hot row, or −1 for a row without one.
     */
    DIFFERENT_FIRST_LABEL
}
