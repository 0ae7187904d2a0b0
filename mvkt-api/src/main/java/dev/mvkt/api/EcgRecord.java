package dev.mvkt.api;

import com.google.common.collect.ImmutableList;

import java.util.List;
import java.util.Objects;

/**
 * One multi-lead ECG: a signal in millivolts, its sampling rate, its lead names and its multi-hot labels.
 *
 * <p>The arrays are owned by the record and must not be modified by callers; they are not copied because
 * datasets hand out many thousands of records per epoch.
 */
public final class EcgRecord {
    private final String id;
    private final float[][] signal;
    private final double samplingRate;
    private final ImmutableList<Lead> leads;
    private final float[] labels;

    /**
     * @param id           a stable identifier (file name or generator index), used in error messages
     * @param signal       {@code [leads][samples]} in mV
     * @param samplingRate samples per second
     * @param leads        one name per signal row
     * @param labels       multi-hot, 0 or 1 per class
     * @throws IllegalArgumentException naming the record and field that does not fit
     */
    public EcgRecord(String id, float[][] signal, double samplingRate, List<Lead> leads, float[] labels) {
        this.id = Objects.requireNonNull(id, "id");
        if (signal == null || signal.length == 0) {
            throw new IllegalArgumentException("record " + id + ": signal has no leads");
        }
        if (leads == null || leads.size() != signal.length) {
            throw new IllegalArgumentException("record " + id + ": " + signal.length + " signal rows but lead names "
                    + leads);
        }
        int n = signal[0].length;
        for (int i = 0; i < signal.length; i++) {
            if (signal[i] == null || signal[i].length != n) {
                throw new IllegalArgumentException("record " + id + ": lead " + leads.get(i) + " has "
                        + (signal[i] == null ? "no" : signal[i].length) + " samples, expected " + n);
            }
        }
        if (!(samplingRate > 0) || Double.isInfinite(samplingRate)) {
            throw new IllegalArgumentException("record " + id + ": sampling rate must be positive, was "
                    + samplingRate);
        }
        this.signal = signal;
        this.samplingRate = samplingRate;
        this.leads = ImmutableList.copyOf(leads);
        this.labels = Objects.requireNonNull(labels, "labels");
    }

    public String id() {
        return id;
    }

    /** {@code [leads][samples]} in mV; do not modify. */
    public float[][] signal() {
        return signal;
    }

    public double samplingRate() {
        return samplingRate;
    }

    public List<Lead> leads() {
        return leads;
    }

    /** Multi-hot labels; do not modify. */
    public float[] labels() {
        return labels;
    }

    public int samples() {
        return signal[0].length;
    }

    /** The samples of one lead. */
    public float[] lead(Lead lead) {
        int i = leads.indexOf(lead);
        if (i < 0) {
            throw new IllegalArgumentException("record " + id + " has no lead " + lead + "; it has " + leads);
        }
        return signal[i];
    }
}
