package dev.mvkt.datasets;

import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Split;

/**
 * A split whose records keep their signals but lose their labels where a mask says so: those records are
 * unlabelled ({@link #isLabelled} false, labels all 0, first label -1). Signals are shared, never copied.
 */
final class MaskedSplit extends SplitView {
    private final boolean[] keep;
    private final LabelSet labels;

    private MaskedSplit(Split base, boolean[] keep, LabelSet labels) {
        super(base);
        this.keep = keep;
        this.labels = labels;
    }

    /**
     * Every record of {@code base}, unlabelled, under {@code labels} (which may differ from the base's own: its
     * labels are never read, so that a pool from another source can join a dataset).
     */
    static MaskedSplit unlabelled(Split base, LabelSet labels) {
        return new MaskedSplit(base, new boolean[base.size()], labels);
    }

    /** {@code base} with labels only where {@code keep} is true. */
    static MaskedSplit keeping(Split base, boolean[] keep) {
        if (keep.length != base.size()) {
            throw new IllegalArgumentException("label mask has " + keep.length + " entries for " + base.size()
                    + " records");
        }
        return new MaskedSplit(base, keep.clone(), base.labels());
    }

    private void check(int index) {
        if (index < 0 || index >= keep.length) {
            throw new IndexOutOfBoundsException("record index " + index + " outside 0.." + (keep.length - 1));
        }
    }

    @Override
    public int size() {
        return keep.length;
    }

    @Override
    public EcgRecord record(int index) {
        check(index);
        EcgRecord r = base.record(index);
        return keep[index] ? r
                : new EcgRecord(r.id(), r.signal(), r.samplingRate(), r.leads(), new float[labels.size()]);
    }

    @Override
    public boolean isLabelled(int index) {
        check(index);
        return keep[index] && base.isLabelled(index);
    }

    @Override
    public float[] labels(int index) {
        check(index);
        return keep[index] ? base.labels(index) : new float[labels.size()];
    }

    @Override
    public int firstLabel(int index) {
        check(index);
        return keep[index] ? base.firstLabel(index) : -1;
    }

    @Override
    public LabelSet labels() {
        return labels;
    }
}
