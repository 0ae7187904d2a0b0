package dev.mvkt.losses;

/** Where CLT draws its K negatives from, for each anchor. */
public enum NegativeSampling {
    /** Any other training sample, uniformly; without replacement unless fewer than K remain. */
    UNIFORM,
    /**
     * Only samples whose first label differs from the anchor's, as the public code does on CPSC2018, so that a
     * negative is less likely to share the anchor's main diagnosis. Without replacement unless that pool is smaller
     * than K. The first label is the dataset's own ({@link dev.mvkt.api.LossContext#trainFirstLabels()}: CPSC's
     * {@code First_label} column, the first code of a CinC {@code #Dx}); where the context has none, the index of the
     * row's first positive entry, or −1 for a row without one.
     */
    DIFFERENT_FIRST_LABEL,
    /**
     * The public code's rule on PTB-XL: it groups by {@code label[i][0]}, the multi-hot bit of class 0 (for the
     * superdiagnostic task, NORM or not), so negatives of an anchor with that bit set are drawn from records without
     * it and vice versa. Without replacement unless that pool is smaller than K.
     */
    DIFFERENT_FIRST_BIT
}
