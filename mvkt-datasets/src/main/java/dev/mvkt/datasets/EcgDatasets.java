package dev.mvkt.datasets;

import com.google.common.collect.ImmutableList;
import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import dev.mvkt.api.SplitName;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Views of any {@link EcgDataset}. */
public final class EcgDatasets {

    private EcgDatasets() {
    }

    /**
     * The same dataset restricted to {@code leads}, in the order given (e.g. lead I alone for the student). Records
     * share their sample arrays with the underlying dataset: nothing is copied.
     *
     * @throws IllegalArgumentException if no lead is given, one repeats, or the dataset lacks one
     */
    public static EcgDataset leads(EcgDataset dataset, Lead... leads) {
        return leads(dataset, Arrays.asList(leads));
    }

    /** As {@link #leads(EcgDataset, Lead...)}, with leads named as files spell them ({@code "aVR"}, {@code "AVR"}). */
    public static EcgDataset leads(EcgDataset dataset, String... names) {
        return leads(dataset, Arrays.stream(names).map(Lead::parse).toList());
    }

    /** As {@link #leads(EcgDataset, Lead...)}. */
    public static EcgDataset leads(EcgDataset dataset, List<Lead> leads) {
        if (leads.isEmpty()) {
            throw new IllegalArgumentException("a lead view needs at least one lead");
        }
        if (leads.stream().distinct().count() != leads.size()) {
            throw new IllegalArgumentException("lead view " + leads + " repeats a lead");
        }
        Map<SplitName, Split> splits = new EnumMap<>(SplitName.class);
        for (SplitName s : SplitName.values()) {
            splits.put(s, new LeadSplit(dataset.split(s), leads));
        }
        String identity = dataset.identity() + " [leads " + leads + "]";
        return new EcgDataset() {
            @Override
            public Split split(SplitName name) {
                return splits.get(name);
            }

            @Override
            public String identity() {
                return identity;
            }

            @Override
            public LabelSet labels() {
                return dataset.labels();
            }
        };
    }

    /** A split whose records carry only some of the underlying rows. */
    private static final class LeadSplit implements Split {
        private final Split base;
        private final ImmutableList<Lead> leads;
        private final int[] rows;

        LeadSplit(Split base, List<Lead> leads) {
            this.base = base;
            this.leads = ImmutableList.copyOf(leads);
            this.rows = new int[leads.size()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = base.leads().indexOf(leads.get(i));
                if (rows[i] < 0) {
                    throw new IllegalArgumentException("lead " + leads.get(i) + " is not in this dataset; it has "
                            + base.leads());
                }
            }
        }

        @Override
        public int size() {
            return base.size();
        }

        @Override
        public EcgRecord record(int index) {
            EcgRecord r = base.record(index);
            float[][] x = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                x[i] = r.signal()[rows[i]];
            }
            return new EcgRecord(r.id(), x, r.samplingRate(), leads, r.labels());
        }

        @Override
        public List<Lead> leads() {
            return leads;
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

        @Override
        public float[] labels(int index) {
            return base.labels(index);
        }

        @Override
        public int firstLabel(int index) {
            return base.firstLabel(index);
        }

        @Override
        public float[][] labelMatrix() {
            return base.labelMatrix();
        }
    }
}
