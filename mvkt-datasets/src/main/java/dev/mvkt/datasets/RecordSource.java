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
 * @param signal reads the signal as {@code [leads][length]} mV, already in the dataset's lead order and length
 */
record RecordSource(String id, SplitName split, float[] labels, SignalReader signal) {

    /** Reads one record's signal; may throw {@link EcgFormatException} naming the file at fault. */
    @FunctionalInterface
    interface SignalReader {
        float[][] read() throws IOException;
    }
}
