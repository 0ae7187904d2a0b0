package dev.mvkt.backbones;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which of mvkt's engine speed-ups a network uses. All are on by default; each one only changes speed and memory,
 * never the result beyond float rounding, and each switches itself off where it does not apply (no oneDNN build, a
 * GPU backend, a DL4J/ND4J version other than the one mvkt was built for). Turning one off is for comparisons and
 * for ruling it out when something looks wrong.
 *
 * <p>Set on a training builder ({@code optEngine}) or a {@link NetworkSpec}; a network keeps its options, and its
 * {@link EcgNetwork#forInference()} snapshots use them. {@link #toMap()} is what provenance records as requested;
 * the effective settings are recorded beside them.
 *
 * @see Builder
 */
public final class EngineOptions {
    private static final EngineOptions DEFAULTS = builder().build();

    private final boolean fastBatchNorm;
    private final boolean directInference;
    private final boolean teacherCache;
    private final boolean fastLayers;

    private EngineOptions(Builder b) {
        this.fastBatchNorm = b.fastBatchNorm;
        this.directInference = b.directInference;
        this.teacherCache = b.teacherCache;
        this.fastLayers = b.fastLayers;
    }

    /** Everything on. */
    public static EngineOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        return new Builder().optFastBatchNorm(fastBatchNorm).optDirectInference(directInference)
                .optTeacherCache(teacherCache).optFastLayers(fastLayers);
    }

    /**
     * Whether training batch norms run mvkt's fused statistics and backward pass in front of DL4J's oneDNN helper
     * (about 5x faster batch-norm backward); off: DL4J's own.
     */
    public boolean fastBatchNorm() {
        return fastBatchNorm;
    }

    /** Whether inference snapshots run mvkt's direct channels-last plan; off: DL4J's graph. */
    public boolean directInference() {
        return directInference;
    }

    /**
     * Whether distillation keeps the frozen teacher's outputs per training record after the first epoch; off: the
     * teacher runs on every step.
     */
    public boolean teacherCache() {
        return teacherCache;
    }

    /**
     * Whether training and DL4J-graph inference run mvkt's replacements of DL4J's pooling layers (one-row max and
     * average windows as loops instead of libnd4j's pooling ops: about 40% of an Inception1d training step went to
     * those ops) and ReLU layers (the same op without DL4J's three copies of each activation); off: DL4J's own.
     */
    public boolean fastLayers() {
        return fastLayers;
    }

    /** The options by name, in a fixed order, for provenance. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fastBatchNorm", fastBatchNorm);
        m.put("directInference", directInference);
        m.put("teacherCache", teacherCache);
        m.put("fastLayers", fastLayers);
        return m;
    }

    /**
     * What this machine makes of these options, for provenance: ND4J backend, OS, DL4J/ND4J versions, whether mvkt's
     * engine internals and oneDNN are in use, and each option as requested and as in effect.
     */
    public Map<String, Object> describe() {
        return dev.mvkt.backbones.engine.Engine.describe(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EngineOptions e && e.fastBatchNorm == fastBatchNorm
                && e.directInference == directInference && e.teacherCache == teacherCache
                && e.fastLayers == fastLayers;
    }

    @Override
    public int hashCode() {
        return (fastBatchNorm ? 1 : 0) + (directInference ? 2 : 0) + (teacherCache ? 4 : 0) + (fastLayers ? 8 : 0);
    }

    @Override
    public String toString() {
        return "EngineOptions" + toMap();
    }

    /** Builds {@link EngineOptions}; every option is optional and defaults to on. Reusable: build() copies. */
    public static final class Builder {
        private boolean fastBatchNorm = true;
        private boolean directInference = true;
        private boolean teacherCache = true;
        private boolean fastLayers = true;

        private Builder() {
        }

        /** See {@link EngineOptions#fastBatchNorm()}. */
        public Builder optFastBatchNorm(boolean on) {
            this.fastBatchNorm = on;
            return this;
        }

        /** See {@link EngineOptions#directInference()}. */
        public Builder optDirectInference(boolean on) {
            this.directInference = on;
            return this;
        }

        /** See {@link EngineOptions#teacherCache()}. */
        public Builder optTeacherCache(boolean on) {
            this.teacherCache = on;
            return this;
        }

        /** See {@link EngineOptions#fastLayers()}. */
        public Builder optFastLayers(boolean on) {
            this.fastLayers = on;
            return this;
        }

        public EngineOptions build() {
            return new EngineOptions(this);
        }
    }
}
