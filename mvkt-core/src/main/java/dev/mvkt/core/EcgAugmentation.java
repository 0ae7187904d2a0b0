package dev.mvkt.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random ECG transformations that make the two views of one record for CLECG-style contrastive pretraining (SimCLR's
 * recipe with ECG-specific transformations; the CLECG paper gives no settings, so the defaults here are ours). The
 * encoder is trained to map both views to the same point, so each transformation stands for a difference that
 * should not change a diagnosis.
 *
 * <p>Applied in this order, each with its own probability (default {@value #DEFAULT_PROBABILITY}, so a view keeps
 * some of the record's original form and two views rarely share all transformations):
 * <ol>
 *   <li><b>random resized crop</b>: a contiguous window of a fraction in [minCropFraction, 1] of the length (the same
 *   for all leads), stretched back to the full length by linear interpolation: a diagnosis does not hinge on which
 *   seconds were recorded, and the stretch varies the heart rate a little;</li>
 *   <li><b>time shift</b> by up to ±maxShiftSeconds, padded with the edge value (a zero pad would be a step of the
 *   size of the baseline, which no ECG has), the same for all leads: recordings start at arbitrary moments;</li>
 *   <li><b>amplitude scaling</b> by a factor in [minScale, maxScale], per record or optionally per lead: electrode
 *   contact, body habitus and amplifier gain change amplitudes without changing the rhythm or the morphology;</li>
 *   <li><b>baseline wander</b>: per lead (each electrode moves on its own), a sum of 1 to maxWanderComponents
 *   sinusoids of minWanderHz to maxWanderHz with random phase, their amplitudes adding up to at most
 *   maxWanderAmplitude mV: breathing and electrode motion;</li>
 *   <li><b>Gaussian noise</b> of σ = noiseSigma mV on every sample: muscle and amplifier noise;</li>
 *   <li><b>time masking</b>: one contiguous stretch of 1 to ⌊maxMaskFraction·length⌋ samples set to 0 in all leads:
 *   lead-off moments, and it keeps the encoder from relying on one beat;</li>
 *   <li><b>lead dropout</b> (two or more leads only): each lead is zeroed with probability leadDropoutRate, and when
 *   that would zero every lead one of them, drawn at random, is kept: a multi-lead encoder must not depend on one
 *   lead being present, but a view with no signal at all teaches nothing.</li>
 * </ol>
 * The geometric transformations come first so that the wander, noise and masks added later are not stretched or
 * shifted with the signal; dropout comes last so that a dropped lead is exactly zero.
 *
 * <p>All randomness comes from the caller's {@link SplittableRandom}, in a fixed order (for each transformation one
 * draw decides whether it applies, then its parameters are drawn only if it does), so a seeded stream reproduces the
 * views exactly. Nothing but the signal, its sampling rate and the stream is read: there are no labels here.
 * Instances are immutable and thread-safe (each call needs its own stream).
 */
public final class EcgAugmentation {
    /** The default probability of each transformation. */
    public static final double DEFAULT_PROBABILITY = 0.5;

    private final double cropProbability;
    private final double minCropFraction;
    private final double shiftProbability;
    private final double maxShiftSeconds;
    private final double scaleProbability;
    private final double minScale;
    private final double maxScale;
    private final boolean scalePerLead;
    private final double wanderProbability;
    private final double maxWanderAmplitude;
    private final double minWanderHz;
    private final double maxWanderHz;
    private final int maxWanderComponents;
    private final double noiseProbability;
    private final double noiseSigma;
    private final double maskProbability;
    private final double maxMaskFraction;
    private final double leadDropoutProbability;
    private final double leadDropoutRate;

    private EcgAugmentation(Builder b) {
        this.cropProbability = b.cropProbability;
        this.minCropFraction = b.minCropFraction;
        this.shiftProbability = b.shiftProbability;
        this.maxShiftSeconds = b.maxShiftSeconds;
        this.scaleProbability = b.scaleProbability;
        this.minScale = b.minScale;
        this.maxScale = b.maxScale;
        this.scalePerLead = b.scalePerLead;
        this.wanderProbability = b.wanderProbability;
        this.maxWanderAmplitude = b.maxWanderAmplitude;
        this.minWanderHz = b.minWanderHz;
        this.maxWanderHz = b.maxWanderHz;
        this.maxWanderComponents = b.maxWanderComponents;
        this.noiseProbability = b.noiseProbability;
        this.noiseSigma = b.noiseSigma;
        this.maskProbability = b.maskProbability;
        this.maxMaskFraction = b.maxMaskFraction;
        this.leadDropoutProbability = b.leadDropoutProbability;
        this.leadDropoutRate = b.leadDropoutRate;
    }

    /** A builder with the defaults listed on each {@code opt} method. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default augmentation (see {@link Builder}). */
    public static EcgAugmentation defaults() {
        return builder().build();
    }

    /**
     * One random view of {@code signal}.
     *
     * @param signal       {@code [leads][samples]} in mV; not modified
     * @param samplingRate samples per second, for the shift and the wander frequencies
     * @param rnd          the only source of randomness; advanced by this call
     * @return a new {@code [leads][samples]} array
     * @throws IllegalArgumentException when the signal is null, has no leads or no samples, is not rectangular or has
     *                                  a non-finite sample, or when the rate is not finite and positive, naming which
     */
    public float[][] apply(float[][] signal, double samplingRate, SplittableRandom rnd) {
        validate(signal, samplingRate);
        if (rnd == null) {
            throw new IllegalArgumentException("ecg augmentation needs a SplittableRandom, but rnd was null");
        }
        int leads = signal.length;
        int n = signal[0].length;
        double[][] x = new double[leads][n];
        for (int c = 0; c < leads; c++) {
            for (int t = 0; t < n; t++) {
                x[c][t] = signal[c][t];
            }
        }
        if (applies(cropProbability, rnd)) {
            crop(x, rnd);
        }
        if (applies(shiftProbability, rnd)) {
            shift(x, samplingRate, rnd);
        }
        if (applies(scaleProbability, rnd)) {
            scale(x, rnd);
        }
        if (applies(wanderProbability, rnd)) {
            wander(x, samplingRate, rnd);
        }
        if (applies(noiseProbability, rnd)) {
            for (double[] lead : x) {
                for (int t = 0; t < n; t++) {
                    lead[t] += noiseSigma * rnd.nextGaussian();
                }
            }
        }
        if (applies(maskProbability, rnd)) {
            mask(x, rnd);
        }
        if (applies(leadDropoutProbability, rnd)) {
            dropLeads(x, rnd);
        }
        float[][] out = new float[leads][n];
        for (int c = 0; c < leads; c++) {
            for (int t = 0; t < n; t++) {
                out[c][t] = (float) x[c][t];
            }
        }
        return out;
    }

    private static boolean applies(double probability, SplittableRandom rnd) {
        // One draw whatever the probability, so changing one probability does not shift the others' draws.
        return rnd.nextDouble() < probability;
    }

    private void crop(double[][] x, SplittableRandom rnd) {
        int n = x[0].length;
        double fraction = minCropFraction + (1 - minCropFraction) * rnd.nextDouble();
        int window = (int) Math.max(2, Math.min(n, Math.round(fraction * n)));
        if (n < 2) {
            return; // one sample: nothing to crop or stretch
        }
        int start = rnd.nextInt(n - window + 1);
        double step = (double) (window - 1) / (n - 1);
        for (double[] lead : x) {
            double[] src = lead.clone();
            for (int t = 0; t < n; t++) {
                double pos = start + t * step;
                int i = (int) pos;
                double frac = pos - i;
                lead[t] = frac == 0 || i + 1 >= n ? src[Math.min(i, n - 1)] : src[i] + frac * (src[i + 1] - src[i]);
            }
        }
    }

    private void shift(double[][] x, double rate, SplittableRandom rnd) {
        int n = x[0].length;
        long k = Math.round((2 * rnd.nextDouble() - 1) * maxShiftSeconds * rate);
        int by = (int) Math.max(-(n - 1), Math.min(n - 1, k));
        if (by == 0) {
            return;
        }
        for (double[] lead : x) {
            double[] src = lead.clone();
            for (int t = 0; t < n; t++) {
                lead[t] = src[Math.max(0, Math.min(n - 1, t - by))];
            }
        }
    }

    private void scale(double[][] x, SplittableRandom rnd) {
        double factor = draw(minScale, maxScale, rnd);
        for (double[] lead : x) {
            double f = scalePerLead && lead != x[0] ? draw(minScale, maxScale, rnd) : factor;
            for (int t = 0; t < lead.length; t++) {
                lead[t] *= f;
            }
        }
    }

    private void wander(double[][] x, double rate, SplittableRandom rnd) {
        for (double[] lead : x) {
            int components = 1 + rnd.nextInt(maxWanderComponents);
            for (int m = 0; m < components; m++) {
                double hz = draw(minWanderHz, maxWanderHz, rnd);
                double phase = 2 * Math.PI * rnd.nextDouble();
                double amplitude = maxWanderAmplitude / components * rnd.nextDouble();
                double w = 2 * Math.PI * hz / rate;
                for (int t = 0; t < lead.length; t++) {
                    lead[t] += amplitude * Math.sin(w * t + phase);
                }
            }
        }
    }

    private void mask(double[][] x, SplittableRandom rnd) {
        int n = x[0].length;
        int maxLength = (int) Math.floor(maxMaskFraction * n);
        if (maxLength < 1) {
            return;
        }
        int length = 1 + rnd.nextInt(maxLength);
        int start = rnd.nextInt(n - length + 1);
        for (double[] lead : x) {
            java.util.Arrays.fill(lead, start, start + length, 0.0);
        }
    }

    private void dropLeads(double[][] x, SplittableRandom rnd) {
        int leads = x.length;
        if (leads < 2) {
            return;
        }
        boolean[] drop = new boolean[leads];
        int dropped = 0;
        for (int c = 0; c < leads; c++) {
            drop[c] = rnd.nextDouble() < leadDropoutRate;
            dropped += drop[c] ? 1 : 0;
        }
        if (dropped == leads) {
            drop[rnd.nextInt(leads)] = false;
        }
        for (int c = 0; c < leads; c++) {
            if (drop[c]) {
                java.util.Arrays.fill(x[c], 0.0);
            }
        }
    }

    private static double draw(double lo, double hi, SplittableRandom rnd) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    private static void validate(float[][] signal, double samplingRate) {
        if (signal == null || signal.length == 0) {
            throw new IllegalArgumentException("ecg augmentation: signal has no leads");
        }
        if (signal[0] == null || signal[0].length == 0) {
            throw new IllegalArgumentException("ecg augmentation: signal lead 0 has no samples");
        }
        int n = signal[0].length;
        for (int c = 0; c < signal.length; c++) {
            if (signal[c] == null || signal[c].length != n) {
                throw new IllegalArgumentException("ecg augmentation: signal lead " + c + " has "
                        + (signal[c] == null ? "no" : String.valueOf(signal[c].length)) + " samples, expected " + n
                        + " like lead 0");
            }
            for (int t = 0; t < n; t++) {
                if (!Float.isFinite(signal[c][t])) {
                    throw new IllegalArgumentException("ecg augmentation: signal[" + c + "][" + t + "] is not finite: "
                            + signal[c][t]);
                }
            }
        }
        if (!(samplingRate > 0) || Double.isInfinite(samplingRate)) {
            throw new IllegalArgumentException("ecg augmentation: samplingRate must be finite and positive, was "
                    + samplingRate);
        }
    }

    /** Every setting by its builder name, for provenance. */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("order", "crop, shift, scale, wander, noise, mask, leadDropout");
        c.put("cropProbability", cropProbability);
        c.put("minCropFraction", minCropFraction);
        c.put("shiftProbability", shiftProbability);
        c.put("maxShiftSeconds", maxShiftSeconds);
        c.put("scaleProbability", scaleProbability);
        c.put("minScale", minScale);
        c.put("maxScale", maxScale);
        c.put("scalePerLead", scalePerLead);
        c.put("wanderProbability", wanderProbability);
        c.put("maxWanderAmplitude", maxWanderAmplitude);
        c.put("minWanderHz", minWanderHz);
        c.put("maxWanderHz", maxWanderHz);
        c.put("maxWanderComponents", maxWanderComponents);
        c.put("noiseProbability", noiseProbability);
        c.put("noiseSigma", noiseSigma);
        c.put("maskProbability", maskProbability);
        c.put("maxMaskFraction", maxMaskFraction);
        c.put("leadDropoutProbability", leadDropoutProbability);
        c.put("leadDropoutRate", leadDropoutRate);
        return Collections.unmodifiableMap(c);
    }

    @Override
    public String toString() {
        return "EcgAugmentation" + config();
    }

    /**
     * Settings of an {@link EcgAugmentation}; all optional. {@link #build()} validates them and copies them, so the
     * builder can be changed and built again without affecting what it built.
     */
    public static final class Builder {
        private double cropProbability = DEFAULT_PROBABILITY;
        private double minCropFraction = 0.5;
        private double shiftProbability = DEFAULT_PROBABILITY;
        private double maxShiftSeconds = 1.0;
        private double scaleProbability = DEFAULT_PROBABILITY;
        private double minScale = 0.5;
        private double maxScale = 1.5;
        private boolean scalePerLead = false;
        private double wanderProbability = DEFAULT_PROBABILITY;
        private double maxWanderAmplitude = 0.2;
        private double minWanderHz = 0.05;
        private double maxWanderHz = 0.5;
        private int maxWanderComponents = 3;
        private double noiseProbability = DEFAULT_PROBABILITY;
        private double noiseSigma = 0.05;
        private double maskProbability = DEFAULT_PROBABILITY;
        private double maxMaskFraction = 0.1;
        private double leadDropoutProbability = DEFAULT_PROBABILITY;
        private double leadDropoutRate = 0.2;

        private Builder() {
        }

        /** Probability of the random resized crop (default 0.5). */
        public Builder optCropProbability(double p) {
            this.cropProbability = p;
            return this;
        }

        /** Shortest crop window as a fraction of the length, in (0, 1] (default 0.5; 1 keeps the whole signal). */
        public Builder optMinCropFraction(double fraction) {
            this.minCropFraction = fraction;
            return this;
        }

        /** Probability of the time shift (default 0.5). */
        public Builder optShiftProbability(double p) {
            this.shiftProbability = p;
            return this;
        }

        /** Largest shift either way, in seconds, ≥ 0 (default 1). */
        public Builder optMaxShiftSeconds(double seconds) {
            this.maxShiftSeconds = seconds;
            return this;
        }

        /** Probability of the amplitude scaling (default 0.5). */
        public Builder optScaleProbability(double p) {
            this.scaleProbability = p;
            return this;
        }

        /** The range of the amplitude factor, 0 &lt; min ≤ max (default 0.5 to 1.5). */
        public Builder optScaleRange(double min, double max) {
            this.minScale = min;
            this.maxScale = max;
            return this;
        }

        /** One factor per lead instead of one per record (default false). */
        public Builder optScalePerLead(boolean perLead) {
            this.scalePerLead = perLead;
            return this;
        }

        /** Probability of the baseline wander (default 0.5). */
        public Builder optWanderProbability(double p) {
            this.wanderProbability = p;
            return this;
        }

        /** Largest summed wander amplitude in mV, ≥ 0 (default 0.2). */
        public Builder optMaxWanderAmplitude(double millivolts) {
            this.maxWanderAmplitude = millivolts;
            return this;
        }

        /** The range of the wander frequencies in Hz, 0 &lt; min ≤ max (default 0.05 to 0.5). */
        public Builder optWanderHz(double min, double max) {
            this.minWanderHz = min;
            this.maxWanderHz = max;
            return this;
        }

        /** Largest number of wander sinusoids per lead, ≥ 1 (default 3). */
        public Builder optMaxWanderComponents(int components) {
            this.maxWanderComponents = components;
            return this;
        }

        /** Probability of the Gaussian noise (default 0.5). */
        public Builder optNoiseProbability(double p) {
            this.noiseProbability = p;
            return this;
        }

        /** Standard deviation of the noise in mV, ≥ 0 (default 0.05). */
        public Builder optNoiseSigma(double millivolts) {
            this.noiseSigma = millivolts;
            return this;
        }

        /** Probability of the time mask (default 0.5). */
        public Builder optMaskProbability(double p) {
            this.maskProbability = p;
            return this;
        }

        /** Longest masked stretch as a fraction of the length, in [0, 1] (default 0.1). */
        public Builder optMaxMaskFraction(double fraction) {
            this.maxMaskFraction = fraction;
            return this;
        }

        /** Probability that lead dropout runs on a multi-lead view (default 0.5). */
        public Builder optLeadDropoutProbability(double p) {
            this.leadDropoutProbability = p;
            return this;
        }

        /** When lead dropout runs, the probability of zeroing each lead, in [0, 1] (default 0.2). */
        public Builder optLeadDropoutRate(double rate) {
            this.leadDropoutRate = rate;
            return this;
        }

        /** Every probability set to {@code p}, for example 0 for the identity or 1 to apply everything. */
        public Builder optAllProbabilities(double p) {
            cropProbability = p;
            shiftProbability = p;
            scaleProbability = p;
            wanderProbability = p;
            noiseProbability = p;
            maskProbability = p;
            leadDropoutProbability = p;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting out of its range and its value */
        public EcgAugmentation build() {
            probability("cropProbability", cropProbability);
            probability("shiftProbability", shiftProbability);
            probability("scaleProbability", scaleProbability);
            probability("wanderProbability", wanderProbability);
            probability("noiseProbability", noiseProbability);
            probability("maskProbability", maskProbability);
            probability("leadDropoutProbability", leadDropoutProbability);
            if (!(minCropFraction > 0 && minCropFraction <= 1)) {
                throw new IllegalArgumentException("minCropFraction must be in (0, 1], was " + minCropFraction);
            }
            nonNegative("maxShiftSeconds", maxShiftSeconds);
            range("minScale", minScale, "maxScale", maxScale);
            nonNegative("maxWanderAmplitude", maxWanderAmplitude);
            range("minWanderHz", minWanderHz, "maxWanderHz", maxWanderHz);
            if (maxWanderComponents < 1) {
                throw new IllegalArgumentException("maxWanderComponents must be >= 1, was " + maxWanderComponents);
            }
            nonNegative("noiseSigma", noiseSigma);
            fraction("maxMaskFraction", maxMaskFraction);
            fraction("leadDropoutRate", leadDropoutRate);
            return new EcgAugmentation(this);
        }

        private static void probability(String name, double p) {
            fraction(name, p);
        }

        private static void fraction(String name, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], was " + v);
            }
        }

        private static void nonNegative(String name, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be finite and >= 0, was " + v);
            }
        }

        private static void range(String minName, double min, String maxName, double max) {
            if (!(min > 0) || Double.isInfinite(min)) {
                throw new IllegalArgumentException(minName + " must be finite and positive, was " + min);
            }
            if (!(max >= min) || Double.isInfinite(max)) {
                throw new IllegalArgumentException(maxName + " must be finite and >= " + minName + " (" + min
                        + "), was " + max);
            }
        }
    }
}
