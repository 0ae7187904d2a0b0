package dev.mvkt.spark;

import dev.mvkt.core.DiagnoseOptions;
import dev.mvkt.core.QualityPolicy;

import java.io.Serializable;
import java.util.Objects;

/**
 * How {@link MvktSpark#score} scores: the {@link QualityPolicy} (as {@code Student.diagnose}'s
 * {@link DiagnoseOptions}) and how it batches its work. Build with {@link #builder()}; every setting has a default.
 */
public final class ScoreOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rows a task takes from its partition at a time (the memory a batch holds is this many signals). */
    static final int ROWS_PER_BATCH = 256;

    private final int packedWindows;
    private final QualityPolicy qualityPolicy;

    private ScoreOptions(Builder b) {
        this.packedWindows = b.packedWindows;
        this.qualityPolicy = b.qualityPolicy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The defaults: {@link QualityPolicy#ABSTAIN_WHEN_UNUSABLE}, and every record in its own forward pass, equal to
     * {@code Student.diagnose} with {@link DiagnoseOptions#defaults()} bit for bit.
     */
    public static ScoreOptions defaults() {
        return builder().build();
    }

    /**
     * Windows of several records packed into one forward pass, at most this many; 0 (the default) when each record's
     * windows get a pass of their own, as {@code Student.diagnose} runs them.
     */
    public int packedWindows() {
        return packedWindows;
    }

    /** What the quality verdict does, as in {@code Student.diagnose} (default ABSTAIN_WHEN_UNUSABLE). */
    public QualityPolicy qualityPolicy() {
        return qualityPolicy;
    }

    /** The {@code Student.diagnose} options each record is diagnosed with. */
    public DiagnoseOptions diagnoseOptions() {
        return DiagnoseOptions.of(qualityPolicy);
    }

    @Override
    public String toString() {
        return "ScoreOptions{packedWindows=" + packedWindows + ", qualityPolicy=" + qualityPolicy + "}";
    }

    /** Settings for {@link ScoreOptions}. */
    public static final class Builder {
        private int packedWindows = 0;
        private QualityPolicy qualityPolicy = QualityPolicy.ABSTAIN_WHEN_UNUSABLE;

        private Builder() {
        }

        /**
         * Packs the windows of several records into forward passes of up to {@code windows} windows (a record's
         * windows always share a pass); 0, the default, gives every record a pass of its own.
         *
         * <p>Why it is not the default: the backend's kernels add in an order that depends on the batch size, so a
         * packed record's probabilities differ from {@code Student.diagnose}'s in the last float digits (measured up
         * to 4e-8 on the shared CinC/CPSC records) and with the partitioning. Packing pays off where passes are tiny
         * (one 10-s window per record): one pass per record cannot use more than one core, because a student's
         * passes take turns on its buffers. See docs/performance.md for measured rates.
         */
        public Builder optPackedWindows(int windows) {
            this.packedWindows = windows;
            return this;
        }

        /**
         * When a record is left unscored because of its signal quality (default
         * {@link QualityPolicy#ABSTAIN_WHEN_UNUSABLE}); every policy fills the {@link Columns#QUALITY} column.
         */
        public Builder optQualityPolicy(QualityPolicy policy) {
            this.qualityPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** @throws IllegalArgumentException naming a setting that is out of range */
        public ScoreOptions build() {
            if (packedWindows < 0) {
                throw new IllegalArgumentException("packedWindows must be 0 (one record per pass) or more, was "
                        + packedWindows);
            }
            return new ScoreOptions(this);
        }
    }
}
