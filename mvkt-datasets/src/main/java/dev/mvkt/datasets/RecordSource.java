package dev.mvkt.datasets;

import dev.mvkt.api.SplitName;

import java.io.IOException;

/**
 * One record a loader has found in an index, before its signal is read: what the cache builder needs to read it
 * once, in order, and never again.
 *
 * @param id     stable record id, used in messages and kept in the cache
 * @param split  the split it belongs to
 * @param labels multi-hot labels
 * @param firstLabel the class the source lists first (CPSC's {@code First_label}, a CinC record's first mapped
 *                   {@code #Dx} code), or -1 where the source gives no order (the split then reports the lowest
 *                   positive class, {@link dev.mvkt.api.Split#firstLabel})
 * @param signal reads the signal as {@code [leads][length]} mV, already in the dataset's lead order and length
 */
record RecordSource(String id, SplitName split, float[] labels, int firstLabel, SignalReader signal) {

    RecordSource {
        if (firstLabel < -1 || firstLabel >= labels.length || firstLabel >= 0 && labels[firstLabel] == 0) {
            throw new IllegalArgumentException("record " + id + ": first label " + firstLabel
                    + " is not one of its positive classes");
        }
    }

    /** A record whose labels carry no order. */
    RecordSource(String id, SplitName split, float[] labels, SignalReader signal) {
        this(id, split, labels, -1, signal);
    }

    /** Reads one record's signal; may throw {@link EcgFormatException} naming the file at fault. */
    @FunctionalInterface
    interface SignalReader {
        float[][] read() throws IOException;
    }
}
