package dev.mvkt.core;

import dev.mvkt.api.Split;

/**
 * One global mean and standard deviation over every training value, applied to all splits and to
 * {@code diagnose} input: the PTB-XL benchmark protocol. A single pair (not per lead) keeps the relative amplitudes
 * of the leads, which carry diagnostic information.
 */
record Standardizer(double mean, double std) {

    Standardizer {
        if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("standardisation needs a finite mean and positive std, got mean="
                    + mean + " std=" + std);
        }
    }

    /** No standardisation: the network sees millivolts (the MVKT-ECG code on CPSC2018). */
    static final Standardizer NONE = new Standardizer(0, 1);

    /** {@link #fit} when {@code standardize}, else {@link #NONE}. */
    static Standardizer fitOrNone(Split train, boolean standardize) {
        return standardize ? fit(train) : NONE;
    }

    static Standardizer fit(Split train) {
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (int i = 0; i < train.size(); i++) {
            for (float[] lead : train.record(i).signal()) {
                for (float v : lead) {
                    sum += v;
                    sumSq += (double) v * v;
                }
                n += lead.length;
            }
        }
        double mean = sum / n;
        double var = Math.max(sumSq / n - mean * mean, 0);
        return new Standardizer(mean, var > 0 ? Math.sqrt(var) : 1.0);
    }

    float apply(float v) {
        return (float) ((v - mean) / std);
    }
}
