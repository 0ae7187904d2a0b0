package dev.mvkt.core;

import dev.mvkt.api.Lead;
import dev.mvkt.api.SignalQuality;
import dev.mvkt.api.SignalQuality.Issue;
import dev.mvkt.api.SignalQuality.Reason;
import dev.mvkt.api.SignalQuality.Verdict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The signal-quality check that {@link Student#diagnose} makes before it resamples or scores a recording: is this a
 * surface ECG in mV that a model can read? It judges each lead on its own, at its own sampling rate, in two passes
 * over the samples (linear time; memory grows with the number of 0.1-s blocks, not samples), and returns a
 * {@link SignalQuality}: the worst verdict over all leads and rules, with one {@link Issue} per lead and rule that
 * fired.
 *
 * <p>The rules work on {@value #SEGMENT_SECONDS}-s segments (at 30 bpm or faster each holds a beat) and 0.1-s blocks.
 * Every threshold is a constant below with its reason; the table in {@code docs/deployment.md} ("Signal quality")
 * repeats them. They were checked against the 45 CinC 2021 and 5 CPSC 2018 recordings in {@code shared/data}
 * (600 leads from four sources): every lead there is OK except the ones a reader would reject too, a
 * few all-zero precordial channels of Chapman–Shaoxing records and a handful of leads drowned in noise or artefact
 * ({@code QualityGateTest} names them).
 * <ul>
 *   <li><b>Lead off</b> ({@link Reason#LEAD_OFF}): a segment whose peak-to-peak amplitude is under
 *       {@value #FLAT_MV} mV holds no beat; even a lead nearly perpendicular to the heart's axis shows a QRS of
 *       0.1 mV or more (the smallest real lead here: 0.19 mV). Flat in at least
 *       {@value #FLAT_UNUSABLE_FRACTION} of the segments: unusable (lead off, or values not in mV, e.g. in V);
 *       in any segment: questionable (a pause or a loose electrode for a while).</li>
 *   <li><b>Clipping</b> ({@link Reason#CLIPPING}): samples that sit exactly at the lead's maximum or minimum with an
 *       equal neighbour (a run of two or more identical extreme values) are saturated. A clean peak repeats its
 *       value for a few samples at most (at most 0.4 % of a lead here); clipped R waves every beat lose 10–30 ms
 *       each, 1–4 % of the time. At least {@value #CLIP_QUESTIONABLE_FRACTION} of the samples: questionable (the
 *       amplitudes are cut, the rhythm still shows); at least {@value #CLIP_UNUSABLE_FRACTION}: unusable (the
 *       amplifier sat at its rail for long stretches).</li>
 *   <li><b>Amplitude</b> ({@link Reason#IMPLAUSIBLE_AMPLITUDE}): the median over segments of the peak-to-peak
 *       amplitude. The tallest QRS complexes (left-ventricular hypertrophy, young athletes' precordial leads)
 *       reach 5–7 mV (here at most 7.2 mV in a clean lead); over {@value #AMPLITUDE_QUESTIONABLE_MV} mV is
 *       questionable (artefact), over {@value #AMPLITUDE_UNUSABLE_MV} mV unusable (no heart: a wrong unit or
 *       gain, such as µV read as mV).</li>
 *   <li><b>Baseline offset</b> ({@link Reason#BASELINE_OFFSET}): the median of the segments' means. Recorders
 *       high-pass filter the ECG, so its baseline sits near 0 mV (here within 0.18 mV) and so did the training
 *       data; beyond {@value #OFFSET_QUESTIONABLE_MV} mV the model reads an input shifted far outside what it
 *       learnt (questionable); beyond {@value #OFFSET_UNUSABLE_MV} mV it is an unfiltered electrode potential or a
 *       unit error (unusable).</li>
 *   <li><b>Baseline wander</b> ({@link Reason#BASELINE_WANDER}): the largest change between the means of
 *       consecutive 1-s windows. Breathing moves the baseline by 0.1–0.5 mV over 2–7 s (here at most 1.1 mV/s in
 *       a readable lead); more than {@value #WANDER_QUESTIONABLE_MV_PER_S} mV within a second is motion or
 *       electrode artefact, which moves the ST segment and T wave by more than their diagnostic changes
 *       (0.05–0.2 mV): questionable.</li>
 *   <li><b>High-frequency noise</b> ({@link Reason#HIGH_FREQUENCY_NOISE}): the signal minus its centred 25-ms
 *       moving average keeps what lies above about 20 Hz: the QRS complexes' edges and the noise. The median 0.1-s
 *       block's RMS of it is the noise floor between beats (QRS complexes fill under half the blocks at any heart
 *       rate). Relative to the median segment peak-to-peak amplitude: clean leads here score 0.001–0.06, white
 *       noise about 0.14 and uniform noise about 0.25. At least {@value #NOISE_QUESTIONABLE_RATIO}: questionable
 *       (noise peaks of ±3 RMS span 40 % of the beat, burying P waves, which AF detection relies on); at least
 *       {@value #NOISE_UNUSABLE_RATIO}: unusable (noise peaks span more than half the beat: QRS complexes cannot be
 *       told from noise). An absolute floor over {@value #NOISE_QUESTIONABLE_MV} mV RMS is questionable whatever the
 *       amplitude: it exceeds the P wave (0.1–0.25 mV). At low rates the 25-ms average spans 3 samples (60 ms at
 *       50 Hz), so its residual keeps more of the QRS; the tests hold the thresholds from 50 Hz up (leads I and II of
 *       clean synthetic records OK, pure noise unusable).</li>
 *   <li><b>Too short</b> ({@link Reason#TOO_SHORT}): under {@value #MIN_SECONDS} s (fewer than two beats at 60
 *       bpm, so no RR interval): unusable; under {@value #SHORT_SECONDS} s (4–6 beats, too few RR intervals to
 *       judge an irregular rhythm; the standard ECG is 10 s): questionable.</li>
 * </ul>
 * A lead judged off in most segments is not judged further (its amplitude, noise and clipping are meaningless).
 *
 * <p>Sampling rates from {@value #MIN_HZ} to {@value #MAX_HZ} Hz are accepted. Below 50 Hz the Nyquist frequency
 * (25 Hz) cuts into the QRS complex's band and an 80-ms QRS spans four samples or fewer; above 10 kHz nothing of the
 * surface ECG is left to gain (diagnostic ECGs are stored at 250–1000 Hz, high-resolution ones at 1–2 kHz), and a
 * rate that far off is almost always a unit mistake (e.g. a sampling interval in µs).
 */
public final class QualityGate {
    /** Lowest accepted sampling rate, Hz. */
    public static final double MIN_HZ = 50;
    /** Highest accepted sampling rate, Hz. */
    public static final double MAX_HZ = 10_000;
    /** Under this many seconds a recording is unusable. */
    public static final double MIN_SECONDS = 2.0;
    /** Under this many seconds a recording is questionable. */
    public static final double SHORT_SECONDS = 5.0;
    /** Length of the segments the amplitude rules judge, seconds. */
    public static final double SEGMENT_SECONDS = 2.0;
    /** A segment with a smaller peak-to-peak amplitude is flat, mV. */
    public static final double FLAT_MV = 0.05;
    /** Flat in at least this fraction of the segments: the lead is off (unusable). */
    public static final double FLAT_UNUSABLE_FRACTION = 0.5;
    /** Fraction of samples in saturated runs at the extremes that makes a lead questionable. */
    public static final double CLIP_QUESTIONABLE_FRACTION = 0.01;
    /** Fraction of samples in saturated runs at the extremes that makes a lead unusable. */
    public static final double CLIP_UNUSABLE_FRACTION = 0.10;
    /** Median segment peak-to-peak amplitude above which a lead is questionable, mV. */
    public static final double AMPLITUDE_QUESTIONABLE_MV = 10;
    /** Median segment peak-to-peak amplitude above which a lead is unusable, mV. */
    public static final double AMPLITUDE_UNUSABLE_MV = 20;
    /** Baseline (median segment mean) further from 0 than this is questionable, mV. */
    public static final double OFFSET_QUESTIONABLE_MV = 2;
    /** Baseline further from 0 than this is unusable, mV. */
    public static final double OFFSET_UNUSABLE_MV = 10;
    /** Largest change of the 1-s mean between neighbouring seconds above which a lead is questionable, mV. */
    public static final double WANDER_QUESTIONABLE_MV_PER_S = 2;
    /** Noise floor (RMS above about 20 Hz between beats) above which a lead is questionable, mV. */
    public static final double NOISE_QUESTIONABLE_MV = 0.1;
    /** Noise floor over median segment peak-to-peak amplitude from which a lead is questionable. */
    public static final double NOISE_QUESTIONABLE_RATIO = 0.07;
    /** Noise floor over median segment peak-to-peak amplitude from which a lead is unusable. */
    public static final double NOISE_UNUSABLE_RATIO = 0.10;

    /** Half-width of the moving average whose residual is the high-frequency part, seconds (25 ms in all). */
    private static final double SMOOTH_HALF_SECONDS = 0.0125;
    private static final double BLOCK_SECONDS = 0.1;

    private QualityGate() {
    }

    /** Checks one lead. See {@link #assess(float[][], List, double)}. */
    public static SignalQuality assess(float[] signal, Lead lead, double hz) {
        return assess(new float[][]{signal}, List.of(lead), hz);
    }

    /**
     * Checks a recording {@code [lead][sample]} in mV, its rows in the order of {@code leads}.
     *
     * @throws IllegalArgumentException if the rate is outside [{@value #MIN_HZ}, {@value #MAX_HZ}] Hz, the rows do not
     *                                  match the leads, a row is empty, or a sample is NaN or infinite (naming the
     *                                  lead and the sample's index)
     */
    public static SignalQuality assess(float[][] signal, List<Lead> leads, double hz) {
        checkRate(hz);
        if (signal == null || leads == null || signal.length != leads.size()) {
            throw new IllegalArgumentException("expected one signal row per lead " + leads + ", got "
                    + (signal == null ? "null" : signal.length + " row(s)"));
        }
        List<Issue> issues = new ArrayList<>();
        for (int l = 0; l < signal.length; l++) {
            lead(signal[l], leads.get(l), hz, issues);
        }
        return SignalQuality.of(issues);
    }

    /** @throws IllegalArgumentException naming {@code hz} unless it is within [MIN_HZ, MAX_HZ] */
    static void checkRate(double hz) {
        if (!(hz >= MIN_HZ && hz <= MAX_HZ)) {
            throw new IllegalArgumentException("sampling rate " + hz + " Hz is outside the accepted " + (int) MIN_HZ
                    + "–" + (int) MAX_HZ + " Hz (an ECG needs at least 50 Hz to hold its QRS complexes)");
        }
    }

    /**
     * What the rules measure on one lead: its duration (s), segment count and flat segments, median segment
     * peak-to-peak amplitude (mV), baseline (median segment mean, mV), fraction of samples in saturated runs, the
     * largest change of the 1-s mean (mV) and the noise floor (median 0.1-s block RMS above about 20 Hz, mV).
     */
    record Measures(double seconds, int segments, int flatSegments, double amplitude, double offset,
                    double clipFraction, float max, float min, double wander, double noise) {
        double noiseRatio() {
            return amplitude > 0 ? noise / amplitude : Double.POSITIVE_INFINITY;
        }
    }

    static Measures measure(float[] x, Lead lead, double hz) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("lead " + lead + ": no samples");
        }
        int n = x.length;
        int segLen = Math.max(1, (int) Math.round(SEGMENT_SECONDS * hz));
        int segs = Math.max(1, n / segLen);
        int blkLen = Math.max(1, (int) Math.round(BLOCK_SECONDS * hz));
        int blks = Math.max(1, n / blkLen);
        int secLen = Math.max(1, (int) Math.round(hz));
        int secs = Math.max(1, n / secLen);
        int h = Math.max(1, (int) Math.round(SMOOTH_HALF_SECONDS * hz));
        double[] segMin = new double[segs];
        double[] segMax = new double[segs];
        double[] segSum = new double[segs];
        double[] blkSq = new double[blks];
        double[] secSum = new double[secs];
        Arrays.fill(segMin, Double.POSITIVE_INFINITY);
        Arrays.fill(segMax, Double.NEGATIVE_INFINITY);
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        // Pass 1: finiteness, segment extremes and sums, second sums, and the residual of the centred moving average
        // over [i-h, i+h] (clipped at the ends), kept as a running sum so that no copy of the signal is made.
        double window = 0;
        int wLo = 0;
        int wHi = -1;
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, i - h);
            int hi = Math.min(n - 1, i + h);
            while (wHi < hi) { // the window runs ahead of i, so every sample is checked before it is used
                float w = x[++wHi];
                if (!Float.isFinite(w)) {
                    throw new IllegalArgumentException("lead " + lead + ": sample " + wHi + " is " + w
                            + "; expected finite values in mV");
                }
                window += w;
            }
            while (wLo < lo) {
                window -= x[wLo++];
            }
            float v = x[i];
            int s = Math.min(i / segLen, segs - 1);
            segMin[s] = Math.min(segMin[s], v);
            segMax[s] = Math.max(segMax[s], v);
            segSum[s] += v;
            secSum[Math.min(i / secLen, secs - 1)] += v;
            max = Math.max(max, v);
            min = Math.min(min, v);
            double e = v - window / (hi - lo + 1);
            blkSq[Math.min(i / blkLen, blks - 1)] += e * e;
        }
        double[] ranges = new double[segs];
        double[] means = new double[segs];
        int flat = 0;
        for (int s = 0; s < segs; s++) {
            ranges[s] = segMax[s] - segMin[s];
            means[s] = segSum[s] / (s == segs - 1 ? n - s * segLen : segLen);
            if (ranges[s] < FLAT_MV) {
                flat++;
            }
        }
        // Pass 2: saturated runs at the extremes (a flat line's extremes are its every sample: judged as flat).
        long clipped = 0;
        if (max > min) {
            for (int i = 0; i < n; i++) {
                float v = x[i];
                if ((v == max || v == min) && ((i > 0 && x[i - 1] == v) || (i + 1 < n && x[i + 1] == v))) {
                    clipped++;
                }
            }
        }
        double wander = 0;
        for (int s = 1; s < secs; s++) {
            double prev = secSum[s - 1] / secLen;
            double cur = secSum[s] / (s == secs - 1 ? n - s * secLen : secLen);
            wander = Math.max(wander, Math.abs(cur - prev));
        }
        double[] rms = new double[blks];
        for (int b = 0; b < blks; b++) {
            rms[b] = Math.sqrt(blkSq[b] / (b == blks - 1 ? n - b * blkLen : blkLen));
        }
        return new Measures(n / hz, segs, flat, median(ranges), median(means), (double) clipped / n, max, min,
                wander, median(rms));
    }

    private static void lead(float[] x, Lead lead, double hz, List<Issue> issues) {
        Measures m = measure(x, lead, hz);
        double seconds = m.seconds();
        if (seconds < MIN_SECONDS) {
            issues.add(new Issue(Reason.TOO_SHORT, lead, Verdict.UNUSABLE, String.format(Locale.ROOT,
                    "lead %s: %.2f s recorded (%d samples at %s Hz); at least %s s are needed to see two beats",
                    lead, seconds, x.length, hz, MIN_SECONDS)));
        } else if (seconds < SHORT_SECONDS) {
            issues.add(new Issue(Reason.TOO_SHORT, lead, Verdict.QUESTIONABLE, String.format(Locale.ROOT,
                    "lead %s: %.2f s recorded; under %s s there are too few beats to judge the rhythm",
                    lead, seconds, SHORT_SECONDS)));
        }
        double offset = m.offset();
        if (Math.abs(offset) > OFFSET_QUESTIONABLE_MV) {
            boolean bad = Math.abs(offset) > OFFSET_UNUSABLE_MV;
            issues.add(new Issue(Reason.BASELINE_OFFSET, lead, bad ? Verdict.UNUSABLE : Verdict.QUESTIONABLE,
                    String.format(Locale.ROOT, "lead %s: baseline at %.3f mV, more than %s mV from 0 (%s)", lead,
                            offset, bad ? OFFSET_UNUSABLE_MV : OFFSET_QUESTIONABLE_MV,
                            "an unfiltered electrode potential, or values not in mV")));
        }
        if (m.flatSegments() > 0) {
            boolean off = (double) m.flatSegments() / m.segments() >= FLAT_UNUSABLE_FRACTION;
            issues.add(new Issue(Reason.LEAD_OFF, lead, off ? Verdict.UNUSABLE : Verdict.QUESTIONABLE,
                    String.format(Locale.ROOT, "lead %s: flat (peak-to-peak under %s mV) in %d of %d %s-s segments"
                                    + " (%s)", lead, FLAT_MV, m.flatSegments(), m.segments(), SEGMENT_SECONDS,
                            off ? "lead off, or values not in mV" : "a loose electrode or a pause")));
            if (off) {
                return; // amplitude, clipping, wander and noise of a flat line say nothing more
            }
        }
        double amplitude = m.amplitude();
        if (amplitude > AMPLITUDE_QUESTIONABLE_MV) {
            boolean bad = amplitude > AMPLITUDE_UNUSABLE_MV;
            issues.add(new Issue(Reason.IMPLAUSIBLE_AMPLITUDE, lead, bad ? Verdict.UNUSABLE : Verdict.QUESTIONABLE,
                    String.format(Locale.ROOT, "lead %s: typical peak-to-peak amplitude %.3g mV, over %s mV (%s)",
                            lead, amplitude, bad ? AMPLITUDE_UNUSABLE_MV : AMPLITUDE_QUESTIONABLE_MV,
                            bad ? "no heart produces this: values not in mV, or a wrong gain" : "artefact")));
        }
        double fraction = m.clipFraction();
        if (fraction >= CLIP_QUESTIONABLE_FRACTION) {
            boolean bad = fraction >= CLIP_UNUSABLE_FRACTION;
            issues.add(new Issue(Reason.CLIPPING, lead, bad ? Verdict.UNUSABLE : Verdict.QUESTIONABLE,
                    String.format(Locale.ROOT, "lead %s: %.1f%% of the samples sit in runs at the extremes "
                                    + "%.4g / %.4g mV, at least %s%% (a saturated amplifier)", lead,
                            100 * fraction, (double) m.max(), (double) m.min(),
                            100 * (bad ? CLIP_UNUSABLE_FRACTION : CLIP_QUESTIONABLE_FRACTION))));
        }
        if (m.wander() > WANDER_QUESTIONABLE_MV_PER_S) {
            issues.add(new Issue(Reason.BASELINE_WANDER, lead, Verdict.QUESTIONABLE, String.format(Locale.ROOT,
                    "lead %s: the baseline moves by %.2f mV within a second, over %s mV (motion or a loose "
                            + "electrode)", lead, m.wander(), WANDER_QUESTIONABLE_MV_PER_S)));
        }
        double noise = m.noise();
        double ratio = m.noiseRatio();
        if (ratio >= NOISE_QUESTIONABLE_RATIO) {
            boolean bad = ratio >= NOISE_UNUSABLE_RATIO;
            issues.add(new Issue(Reason.HIGH_FREQUENCY_NOISE, lead, bad ? Verdict.UNUSABLE : Verdict.QUESTIONABLE,
                    String.format(Locale.ROOT, "lead %s: noise above about 20 Hz of %.3g mV RMS between beats is "
                                    + "%.0f%% of the beats' peak-to-peak amplitude, at least %.0f%% (%s)", lead,
                            noise, 100 * ratio, 100 * (bad ? NOISE_UNUSABLE_RATIO : NOISE_QUESTIONABLE_RATIO),
                            bad ? "beats cannot be told from noise" : "P waves are buried")));
        } else if (noise > NOISE_QUESTIONABLE_MV) {
            issues.add(new Issue(Reason.HIGH_FREQUENCY_NOISE, lead, Verdict.QUESTIONABLE, String.format(Locale.ROOT,
                    "lead %s: noise above about 20 Hz of %.3g mV RMS between beats, over %s mV (P waves are buried)",
                    lead, noise, NOISE_QUESTIONABLE_MV)));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
