package dev.mvkt.datasets;

import com.google.common.collect.ImmutableList;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;

import java.util.List;
import java.util.Objects;

/** A split whose records are all in memory; records are checked once here so that readers never have to. */
final class InMemorySplit implements Split {
    private final ImmutableList<EcgRecord> records;
    private final ImmutableList<Lead> leads;
    private final double samplingRate;
    private final int length;
    private final LabelSet labels;

    InMemorySplit(List<EcgRecord> records, List<Lead> leads, double samplingRate, int length, LabelSet labels) {
        this.records = ImmutableList.copyOf(records);
        this.leads = ImmutableList.copyOf(leads);
        this.samplingRate = samplingRate;
        this.length = length;
        this.labels = Objects.requireNonNull(labels, "labels");
        for (EcgRecord r : this.records) {
            if (!r.leads().equals(this.leads) || r.samples() != length || r.samplingRate() != samplingRate
                    || r.labels().length != labels.size()) {
                throw new IllegalArgumentException("record " + r.id() + " does not fit its split: leads "
                        + r.leads() + ", " + r.samples() + " samples at " + r.samplingRate() + " Hz, "
                        + r.labels().length + " labels; expected " + this.leads + ", " + length + " at "
                        + samplingRate + " Hz, " + labels.size());
            }
        }
    }

    @Override
    public int size() {
        return records.size();
    }

    @Override
    public EcgRecord record(int index) {
        if (index < 0 || index >= records.size()) {
            throw new IndexOutOfBoundsException("record index " + index + " outside 0.." + (records.size() - 1));
        }
        return records.get(index);
    }

    @Override
    public List<Lead> leads() {
        return leads;
    }

    @Override
    public double samplingRate() {
        return samplingRate;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public LabelSet labels() {
        return labels;
    }
}
