package dev.mvkt.api;

import java.util.List;

/**
 * One part (train, val or test) of an {@link EcgDataset}: an indexed, fixed-length collection of records that all
 * share the same leads, sampling rate and length.
 *
 * <p>Index {@code i} is stable: the CLT memory banks are indexed by it.
 *
 * <p>A record may be unlabelled ({@link #isLabelled}): its signal still carries what a teacher knows, so
 * distillation and pretraining use it, while supervised terms skip it.
 */
public interface Split {

    /** Number of records. */
    int size();

    /** The record at {@code index} (0-based). */
    EcgRecord record(int index);

    /** Lead names, in signal row order. */
    List<Lead> leads();

    /** Samples per second. */
    double samplingRate();

    /** Samples per lead. */
    int length();

    /** The class names of the labels. */
    LabelSet labels();

    /**
     * The multi-hot labels of the record at {@code index}; do not modify. Splits that keep labels apart from signals
     * override it, so that reading labels does not read (or copy) the signal.
     */
    default float[] labels(int index) {
        return record(index).labels();
    }

    /**
     * The class the dataset lists first for the record at {@code index}, or -1 when it has no positive label. This
     * is what the MVKT-ECG code's first-label negative sampling groups by: CPSC2018's {@code First_label} column, the
     * first mapped code of a CinC {@code #Dx} line. The default, for datasets whose labels have no order, is the
     * lowest positive class index; loaders that know the order override it.
     */
    default int firstLabel(int index) {
        return lowestPositive(labels(index));
    }

    /**
     * Whether the record at {@code index} carries labels. Unlabelled records (for distillation, which needs no
     * labels, and for self-supervised pretraining) have {@code labels(i)} all 0 and {@code firstLabel(i) == -1};
     * training uses their signal only. A split that holds no unlabelled records keeps this default; views that wrap
     * another split forward it.
     */
    default boolean isLabelled(int index) {
        return true;
    }

    /** Number of labelled records: those {@link #isLabelled} accepts. */
    default int labelledCount() {
        int n = 0;
        for (int i = 0, size = size(); i < size; i++) {
            if (isLabelled(i)) {
                n++;
            }
        }
        return n;
    }

    /** The index of the first entry above 0.5, or -1. */
    static int lowestPositive(float[] multiHot) {
        for (int c = 0; c < multiHot.length; c++) {
            if (multiHot[c] > 0.5f) {
                return c;
            }
        }
        return -1;
    }

    /** Copies the multi-hot labels of all records, {@code [size][classes]}. */
    default float[][] labelMatrix() {
        float[][] y = new float[size()][];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels(i).clone();
        }
        return y;
    }
}
