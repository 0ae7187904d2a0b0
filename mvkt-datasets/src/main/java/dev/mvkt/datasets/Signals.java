package dev.mvkt.datasets;

import dev.mvkt.api.Lead;

import java.nio.file.Path;
import java.util.List;

/** Shared signal plumbing of the loaders: lead order, fixed length, rate change, finiteness and the limits. */
final class Signals {
    /**
     * The largest amplitude a loader accepts, in mV. A surface ECG stays within a few mV (a tall QRS is 3–5 mV; the
     * diagnostic input range of IEC 60601-2-25 is ±5 mV) and every record of PTB-XL, CPSC2018 and CinC fits the int16
     * range at 1000 units/mV, ±32.8 mV. 100 mV is three times that and twenty times the standard's range, so no real
     * record is refused, while the values a corrupted gain, baseline or MAT block produces (hundreds of mV and up,
     * 1e39, 1e308) are.
     */
    static final double MAX_ABS_MV = 100;
    /**
     * The shortest record a loader accepts, in seconds at its own rate. The fixed-length datasets tile shorter
     * records end to end; below 2 s (about two beats) a "record" is a fragment that tiling would turn into a
     * repeated beat, so it is refused. The shortest real records (CPSC2018) last 6 s.
     */
    static final double MIN_SECONDS = 2;
    /**
     * The most samples (all signals together) a record may hold: 2^23, e.g. 12 leads for 23 minutes at 500 Hz. The
     * longest CinC 2021 records (St Petersburg INCART, 30 min at 257 Hz) hold 5.6 million. Reading one costs about
     * 10 bytes a sample at its peak (the stored bytes, the decoded ints, the millivolts), so the bound keeps a
     * record under 100 MB of heap, and a forged header or file cannot make the loader allocate more.
     */
    static final long MAX_SAMPLES = 1L << 23;
    /** The largest integer rate ratio a loader downsamples by (e.g. 10 kHz to 500 Hz); its filter has 20k + 1 taps. */
    static final int MAX_DECIMATION = 20;

    private Signals() {
    }

    /**
     * Rows of {@code x} reordered into {@code target} order by their header names (parsed case-insensitively); the
     * rows themselves are not copied.
     *
     * @throws EcgFormatException naming the file when a lead is missing, repeated or unknown, or the count differs
     */
    static float[][] reorder(Path file, float[][] x, List<String> names, List<Lead> target)
            throws EcgFormatException {
        if (names.size() != target.size()) {
            throw new EcgFormatException(file, "signal lines", "has " + names.size() + " leads " + names
                    + "; expected " + target.size() + " " + target);
        }
        float[][] out = new float[target.size()][];
        for (int s = 0; s < names.size(); s++) {
            Lead lead;
            try {
                lead = Lead.parse(names.get(s));
            } catch (IllegalArgumentException e) {
                throw new EcgFormatException(file, "signal " + (s + 1) + ", field description", e.getMessage());
            }
            int i = target.indexOf(lead);
            if (i < 0 || out[i] != null) {
                throw new EcgFormatException(file, "signal " + (s + 1) + ", field description", "lead " + lead
                        + (i < 0 ? " is not one of " + target : " appears twice"));
            }
            out[i] = x[s];
        }
        return out;
    }

    /**
     * The paper's CenterCrop1D: the middle {@code length} samples when longer (start {@code (n - length) / 2}),
     * the signal repeated end to end and cut when shorter.
     */
    static float[] fixLength(float[] x, int length) {
        int n = x.length;
        if (n == 0) {
            // Tiling an empty signal would never advance; loaders refuse short records before they get here.
            throw new IllegalArgumentException("cannot bring an empty signal to " + length + " samples");
        }
        if (n == length) {
            return x;
        }
        float[] out = new float[length];
        if (n > length) {
            System.arraycopy(x, (n - length) / 2, out, 0, length);
        } else {
            for (int i = 0; i < length; i += n) {
                System.arraycopy(x, 0, out, i, Math.min(n, length - i));
            }
        }
        return out;
    }

    /**
     * Downsamples by an integer factor after a windowed-sinc low-pass at the new Nyquist frequency, so that 500 Hz
     * records can feed a 100 Hz model without aliasing. Edges are handled by reflection.
     */
    static float[] decimate(float[] x, int factor) {
        if (factor == 1) {
            return x;
        }
        if (factor < 1 || factor > MAX_DECIMATION || x.length < factor) {
            // Loaders check the rate and the length first; this keeps the filter size bounded whatever the caller.
            throw new IllegalArgumentException("decimation by " + factor + " of " + x.length + " samples; expected "
                    + "a factor in 1.." + MAX_DECIMATION + " and at least one output sample");
        }
        double[] h = lowPass(factor);
        int half = h.length / 2;
        int n = x.length / factor;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i * factor;
            double acc = 0;
            for (int k = 0; k < h.length; k++) {
                int j = c + k - half;
                if (j < 0) {
                    j = -j;
                } else if (j >= x.length) {
                    j = 2 * x.length - 2 - j;
                }
                j = Math.max(0, Math.min(x.length - 1, j));
                acc += h[k] * x[j];
            }
            out[i] = (float) acc;
        }
        return out;
    }

    private static double[] lowPass(int factor) {
        int taps = 20 * factor + 1;
        double[] h = new double[taps];
        int half = taps / 2;
        double cutoff = 0.5 / factor;
        double sum = 0;
        for (int k = 0; k < taps; k++) {
            int m = k - half;
            double sinc = m == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * m) / (Math.PI * m);
            double w = 0.54 - 0.46 * Math.cos(2 * Math.PI * k / (taps - 1));
            h[k] = sinc * w;
            sum += h[k];
        }
        for (int k = 0; k < taps; k++) {
            h[k] /= sum;
        }
        return h;
    }

    /** @throws EcgFormatException naming the file, lead and sample of the first NaN or infinity */
    static void requireFinite(Path file, float[][] x, List<?> leadNames) throws EcgFormatException {
        for (int l = 0; l < x.length; l++) {
            for (int i = 0; i < x[l].length; i++) {
                if (!Float.isFinite(x[l][i])) {
                    throw new EcgFormatException(file, "lead " + leadNames.get(l) + ", sample " + i, "value "
                            + x[l][i] + "; expected a finite number");
                }
            }
        }
    }

    /**
     * Finiteness and {@link #MAX_ABS_MV}: every loader's last word on a record's samples before they are resampled.
     *
     * @throws EcgFormatException naming the file, lead and sample of the first NaN, infinity or absurd amplitude
     */
    static void requirePlausible(Path file, float[][] x, List<?> leadNames) throws EcgFormatException {
        requireFinite(file, x, leadNames);
        for (int l = 0; l < x.length; l++) {
            for (int i = 0; i < x[l].length; i++) {
                if (Math.abs(x[l][i]) > MAX_ABS_MV) {
                    throw new EcgFormatException(file, "lead " + leadNames.get(l) + ", sample " + i, "value "
                            + x[l][i] + " mV; expected at most " + MAX_ABS_MV + " mV in magnitude (a corrupted gain, "
                            + "baseline or sample)");
                }
            }
        }
    }

    /**
     * {@link #MIN_SECONDS} and {@link #MAX_SAMPLES} for one record of {@code samples} per lead at {@code fs} Hz.
     *
     * @throws EcgFormatException naming the file and {@code field} when the record is too short or too long
     */
    static void requireLength(Path file, String field, long samples, int leads, double fs)
            throws EcgFormatException {
        if (samples < MIN_SECONDS * fs) {
            throw new EcgFormatException(file, field, samples + " samples at " + fs + " Hz is shorter than the "
                    + "minimum of " + MIN_SECONDS + " s (" + (long) Math.ceil(MIN_SECONDS * fs) + " samples)");
        }
        if (samples * leads > MAX_SAMPLES) {
            throw new EcgFormatException(file, field, samples + " samples x " + leads + " leads is more than the "
                    + "limit of " + MAX_SAMPLES + " samples per record");
        }
    }
}
