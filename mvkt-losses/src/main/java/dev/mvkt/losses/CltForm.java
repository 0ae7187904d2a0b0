package dev.mvkt.losses;

/** Which contrastive objective CLT uses; the paper states InfoNCE, its code (CRD's) uses NCE. */
public enum CltForm {
    /** The paper: −log softmax of the positive among {positive} ∪ K negatives, per anchor. */
    INFO_NCE,
    /**
     * The public code (CRD's {@code NCECriterion}): a binary noise-contrastive estimate with a partition function Z
     * fixed from the first batch.
     */
    NCE
}
