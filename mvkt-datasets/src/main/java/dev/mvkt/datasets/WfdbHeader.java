package dev.mvkt.datasets;

import com.google.common.collect.ImmutableList;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed WFDB header ({@code .hea}) of a single-segment record.
 *
 * <p>Record line: {@code name nsig [fs[/counterfreq[(base)]] [nsamp [time [date]]]]}. Signal lines: {@code file
 * fmt[xspf][:skew][+offset] [gain[(baseline)][/units] [adcres [adczero [initval [checksum [blocksize
 * [description]]]]]]]}. Lines starting with {@code #} are comments; CinC records keep their metadata there
 * ({@code # Dx: 164889003,59118001}), which {@link #comment(String)} reads.
 *
 * <p>Checked here: every number parses (a typed error naming the line and field otherwise); a gain is finite,
 * positive and, for a voltage, within {@link #MIN_GAIN_PER_MV}..{@link #MAX_GAIN_PER_MV} units per mV; a baseline
 * lies within the range its format can store. A UTF-8 byte-order mark at the start is skipped; a file over
 * {@link #MAX_HEADER_BYTES} is refused unread.
 *
 * @see <a href="https://www.physionet.org/physiotools/wag/header-5.htm">header(5)</a>
 */
public final class WfdbHeader {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)(?:x(\\d+))?(?::(\\d+))?(?:\\+(\\d+))?");
    private static final Pattern GAIN = Pattern.compile("([-+]?[0-9.]+(?:[eE][-+]?\\d+)?)(?:\\((-?\\d+)\\))?(?:/(\\S+))?");
    /** WFDB's default gain, used when a header gives none or 0 (uncalibrated). */
    static final double DEFAULT_GAIN = 200;
    /**
     * The range of gains accepted for a voltage signal, in ADC units per mV: below 1 a single step would exceed 1 mV
     * (no ECG fits in a few steps), above 1e7 a step would be under 0.1 nV, far below any ECG front end (24-bit
     * converters resolve about 0.3 uV). Real records use 200 or 1000 per mV. A gain outside it is a corrupted header;
     * left alone it turns a lead into zeros (1e400 parses as infinity) or into infinities (1e-300).
     */
    static final double MIN_GAIN_PER_MV = 1;
    static final double MAX_GAIN_PER_MV = 1e7;
    /** Headers are a few hundred bytes; a larger file is not a header, and is refused before it is read. */
    static final long MAX_HEADER_BYTES = 1 << 20;

    private final Path file;
    private final String name;
    private final double samplingRate;
    private final int samples;
    private final ImmutableList<Signal> signals;
    private final ImmutableList<String> comments;

    /**
     * One signal line.
     *
     * @param fileName        the signal file, relative to the header's folder
     * @param format          WFDB storage format (16, 212, ...)
     * @param samplesPerFrame samples of this signal per frame (1 unless {@code x} says otherwise)
     * @param byteOffset      bytes to skip at the start of the file ({@code +24} for CinC's MAT v4 files)
     * @param gain            ADC units per physical unit
     * @param baseline        ADC value of physical zero
     * @param units           physical units, as written ({@code mV}, {@code mv}, {@code uV})
     * @param initialValue    the first sample, or null when the header does not say
     * @param checksum        16-bit sum of all samples, or null when the header does not say
     * @param description     the lead name or other description, possibly empty
     * @param line            the line of the header this came from, for messages
     */
    public record Signal(String fileName, int format, int samplesPerFrame, long byteOffset, double gain,
            int baseline, String units, int adcResolution, int adcZero, Integer initialValue, Integer checksum,
            int blockSize, String description, int line) {
    }

    private WfdbHeader(Path file, String name, double samplingRate, int samples, List<Signal> signals,
            List<String> comments) {
        this.file = file;
        this.name = name;
        this.samplingRate = samplingRate;
        this.samples = samples;
        this.signals = ImmutableList.copyOf(signals);
        this.comments = ImmutableList.copyOf(comments);
    }

    /**
     * Reads and checks a header.
     *
     * @throws EcgFormatException naming the line and field that does not parse, or if the file is missing
     */
    public static WfdbHeader read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new EcgFormatException(file, null, "WFDB header not found",
                    new NoSuchFileException(file.toString()));
        }
        long size = Files.size(file);
        if (size > MAX_HEADER_BYTES) {
            throw new EcgFormatException(file, null, "header of " + size + " bytes; a WFDB header is at most "
                    + MAX_HEADER_BYTES + " bytes");
        }
        byte[] bytes = Files.readAllBytes(file);
        // A UTF-8 byte-order mark (written by some editors) is not part of the record name or the first comment.
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        String text = new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1);
        return parse(file, text.lines().toList());
    }

    static WfdbHeader parse(Path file, List<String> lines) throws EcgFormatException {
        List<String> comments = new ArrayList<>();
        List<Signal> signals = new ArrayList<>();
        String name = null;
        int nsig = -1;
        double fs = 250;
        int nsamp = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i).strip();
            int line = i + 1;
            if (raw.isEmpty()) {
                continue;
            }
            if (raw.startsWith("#")) {
                comments.add(raw.substring(1).strip());
                continue;
            }
            String[] t = raw.split("\\s+");
            if (name == null) {
                name = t[0];
                if (name.contains("/")) {
                    throw new EcgFormatException(file, "line " + line + ", field record name",
                            "multi-segment record '" + name + "' is not supported; expected a single-segment record");
                }
                if (t.length < 2) {
                    throw new EcgFormatException(file, "line " + line, "record line '" + raw
                            + "' has no signal count; expected 'name nsig fs nsamp'");
                }
                nsig = parseInt(file, line, "number of signals", t[1]);
                if (nsig < 1) {
                    throw new EcgFormatException(file, "line " + line + ", field number of signals",
                            "expected at least 1 signal, found " + nsig);
                }
                if (t.length > 2) {
                    String f = t[2];
                    int slash = f.indexOf('/');
                    fs = parseDouble(file, line, "sampling frequency", slash < 0 ? f : f.substring(0, slash));
                    if (!(fs > 0) || Double.isInfinite(fs)) {
                        throw new EcgFormatException(file, "line " + line + ", field sampling frequency",
                                "expected a positive number, found " + f);
                    }
                }
                if (t.length > 3) {
                    nsamp = parseInt(file, line, "number of samples", t[3]);
                    if (nsamp < 0) {
                        throw new EcgFormatException(file, "line " + line + ", field number of samples",
                                "expected a non-negative count, found " + nsamp);
                    }
                }
                continue;
            }
            signals.add(signal(file, line, t));
        }
        if (name == null) {
            throw new EcgFormatException(file, "line 1", "no record line; expected 'name nsig fs nsamp'");
        }
        if (signals.size() != nsig) {
            throw new EcgFormatException(file, "record line", "says " + nsig + " signals but " + signals.size()
                    + " signal lines follow");
        }
        return new WfdbHeader(file, name, fs, nsamp, signals, comments);
    }

    private static Signal signal(Path file, int line, String[] t) throws EcgFormatException {
        if (t.length < 2) {
            throw new EcgFormatException(file, "line " + line, "signal line has no format; expected 'file fmt ...'");
        }
        Matcher m = FORMAT.matcher(t[1]);
        if (!m.matches()) {
            throw new EcgFormatException(file, "line " + line + ", field format", "'" + t[1]
                    + "' is not fmt[xspf][:skew][+offset]");
        }
        int format = parseInt(file, line, "format", m.group(1));
        int spf = m.group(2) == null ? 1 : parseInt(file, line, "samples per frame", m.group(2));
        long offset = m.group(4) == null ? 0 : parseLong(file, line, "byte offset", m.group(4));
        double gain = DEFAULT_GAIN;
        Integer baseline = null;
        String units = "mV";
        if (t.length > 2) {
            Matcher g = GAIN.matcher(t[2]);
            if (!g.matches()) {
                throw new EcgFormatException(file, "line " + line + ", field gain", "'" + t[2]
                        + "' is not gain[(baseline)][/units]");
            }
            gain = parseDouble(file, line, "gain", g.group(1));
            if (gain == 0) {
                gain = DEFAULT_GAIN;
            }
            if (!Double.isFinite(gain) || gain < 0) {
                throw new EcgFormatException(file, "line " + line + ", field gain", "'" + g.group(1)
                        + "'; expected a finite positive number of ADC units per physical unit");
            }
            if (g.group(2) != null) {
                baseline = parseInt(file, line, "baseline", g.group(2));
            }
            if (g.group(3) != null) {
                units = g.group(3);
            }
        }
        int adcres = t.length > 3 ? parseInt(file, line, "ADC resolution", t[3]) : 0;
        int adczero = t.length > 4 ? parseInt(file, line, "ADC zero", t[4]) : 0;
        Integer init = t.length > 5 ? parseInt(file, line, "initial value", t[5]) : null;
        Integer checksum = t.length > 6 ? parseInt(file, line, "checksum", t[6]) : null;
        int block = t.length > 7 ? parseInt(file, line, "block size", t[7]) : 0;
        String desc = t.length > 8 ? String.join(" ", java.util.Arrays.copyOfRange(t, 8, t.length)) : "";
        double perMv = gain / millivoltsPerUnit(units);
        if (perMv < MIN_GAIN_PER_MV || perMv > MAX_GAIN_PER_MV) {
            // A non-voltage unit gives NaN here and is left to the reader, which names the unit.
            throw new EcgFormatException(file, "line " + line + ", field gain", gain + "/" + units + " is "
                    + perMv + " units per mV; expected " + MIN_GAIN_PER_MV + " to " + MAX_GAIN_PER_MV);
        }
        int bits = bits(format);
        int base = baseline == null ? adczero : baseline;
        if (bits > 0 && bits < 32) {
            // A baseline outside the values the format can store shifts every sample by a constant that no real
            // recording has (40000 in format 16 adds 40 mV). The offset-binary formats (80, 160) may write it in
            // either their stored or their signed form, so both ranges are accepted there.
            long lo = -(1L << (bits - 1));
            long hi = format == 80 || format == 160 ? (1L << bits) - 1 : (1L << (bits - 1)) - 1;
            if (base < lo || base > hi) {
                throw new EcgFormatException(file, "line " + line + ", field " + (baseline == null ? "ADC zero"
                        : "baseline"), base + " is outside the range of format " + format + " (" + lo + ".." + hi
                        + ")");
            }
        }
        return new Signal(t[0], format, spf, offset, gain, baseline == null ? adczero : baseline, units, adcres,
                adczero, init, checksum, block, desc, line);
    }

    /** Bits per sample of a WFDB storage format, or 0 for one this reader does not decode. */
    static int bits(int format) {
        switch (format) {
            case 80:
                return 8;
            case 212:
                return 12;
            case 16:
            case 61:
            case 160:
                return 16;
            case 24:
                return 24;
            case 32:
                return 32;
            default:
                return 0;
        }
    }

    /** Millivolts per physical unit for mV, uV and V (case-insensitive); NaN for any other unit. */
    static double millivoltsPerUnit(String units) {
        switch (units.toLowerCase(Locale.ROOT)) {
            case "mv":
                return 1;
            case "uv":
            case "\u00b5v":
            case "\u03bcv":
                return 1e-3;
            case "v":
                return 1e3;
            default:
                return Double.NaN;
        }
    }

    private static long parseLong(Path file, int line, String field, String s) throws EcgFormatException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new EcgFormatException(file, "line " + line + ", field " + field, "expected an integer, found '"
                    + s + "'");
        }
    }

    private static int parseInt(Path file, int line, String field, String s) throws EcgFormatException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new EcgFormatException(file, "line " + line + ", field " + field, "expected an integer, found '"
                    + s + "'");
        }
    }

    private static double parseDouble(Path file, int line, String field, String s) throws EcgFormatException {
        try {
            return Double.parseDouble(s.replaceAll("\\(.*\\)$", ""));
        } catch (NumberFormatException e) {
            throw new EcgFormatException(file, "line " + line + ", field " + field, "expected a number, found '"
                    + s + "'");
        }
    }

    /** The header file this was read from. */
    public Path file() {
        return file;
    }

    public String name() {
        return name;
    }

    public double samplingRate() {
        return samplingRate;
    }

    /** Samples per signal; 0 when the header leaves it to the signal file's length. */
    public int samples() {
        return samples;
    }

    public List<Signal> signals() {
        return signals;
    }

    /** Comment lines without their {@code #}, in order. */
    public List<String> comments() {
        return comments;
    }

    /**
     * The value of a {@code # Key: value} comment (key matched case-insensitively), or null. CinC headers write
     * both {@code #Dx:} and {@code # Dx:}.
     */
    public String comment(String key) {
        String k = key.toLowerCase(Locale.ROOT) + ":";
        for (String c : comments) {
            if (c.toLowerCase(Locale.ROOT).startsWith(k)) {
                return c.substring(k.length()).strip();
            }
        }
        return null;
    }
}
