package dev.mvkt.core;

import java.util.Objects;

/**
 * Settings of {@link Student#diagnose}: what the signal-quality verdict does ({@link QualityPolicy}) and how many
 * windows of a long recording are scored at once. Immutable; {@link #defaults()} or {@link #builder()}.
 */
public final class DiagnoseOptions {
    /** Windows scored in one batch by default: a 10-h recording at 100 Hz then needs tens of MB, not gigabytes. */
    public static final int DEFAULT_WINDOW_BATCH = 32;

    private static final DiagnoseOptions DEFAULTS = builder().build();

    private final QualityPolicy qualityPolicy;
    private final int windowBatch;

    private DiagnoseOptions(Builder b) {
        this.qualityPolicy = b.qualityPolicy;
        this.windowBatch = b.windowBatch;
    }

    /** Abstain on unusable recordings; {@value #DEFAULT_WINDOW_BATCH} windows per batch. */
    public static DiagnoseOptions defaults() {
        return DEFAULTS;
    }

    /** The defaults with another quality policy. */
    public static DiagnoseOptions of(QualityPolicy policy) {
        return builder().optQualityPolicy(policy).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public QualityPolicy qualityPolicy() {
        return qualityPolicy;
    }

    public int windowBatch() {
        return windowBatch;
    }

    @Override
    public String toString() {
        return "DiagnoseOptions{qualityPolicy=" + qualityPolicy + ", windowBatch=" + windowBatch + "}";
    }

    /** Settings for {@link DiagnoseOptions}; every option has a default. */
    public static final class Builder {
        private QualityPolicy qualityPolicy = QualityPolicy.ABSTAIN_WHEN_UNUSABLE;
        private int windowBatch = DEFAULT_WINDOW_BATCH;

        private Builder() {
        }

        /** When the model declines to score (default {@link QualityPolicy#ABSTAIN_WHEN_UNUSABLE}). */
        public Builder optQualityPolicy(QualityPolicy policy) {
            this.qualityPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How many windows of a long recording one forward pass scores (default
         * {@value DiagnoseOptions#DEFAULT_WINDOW_BATCH}); memory grows with it, the result does not change.
         */
        public Builder optWindowBatch(int windows) {
            this.windowBatch = windows;
            return this;
        }

        /** @throws IllegalArgumentException naming a window batch under 1 */
        public DiagnoseOptions build() {
            if (windowBatch < 1) {
                throw new IllegalArgumentException("window batch must be >= 1, was " + windowBatch);
            }
            return new DiagnoseOptions(this);
        }
    }
}
