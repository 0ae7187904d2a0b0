package dev.mvkt.datasets;

import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;

import java.util.List;

/**
 * A view of another split (lead subsets, record subsets, label masks, concatenations): the shape every view keeps,
 * leads, sampling rate, length and label set, is the base's unless a view says otherwise.
 */
abstract class SplitView implements Split {
    final Split base;

    SplitView(Split base) {
        this.base = base;
    }

    @Override
    public List<Lead> leads() {
        return base.leads();
    }

    @Override
    public double samplingRate() {
        return base.samplingRate();
    }

    @Override
    public int length() {
        return base.length();
    }

    @Override
    public LabelSet labels() {
        return base.labels();
    }
}
