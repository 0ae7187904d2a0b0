package dev.mvkt.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads WFDB records: a header and its signal files, in formats 16, 212, 61, 80, 160, 24 and 32.
 *
 * <p>Every signal is checked against its header before anything is returned: the file must hold exactly the
 * samples the header announces (shorter is "truncated", longer is a length mismatch), the first sample must equal
 * the header's initial value and the 16-bit sum of all samples its checksum, where the header gives them. The
 * format's missing-sample marker (e.g. -32768 in format 16) is refused rather than turned into NaN, because no
 * downstream model can use a NaN. CinC records keep their samples in a MATLAB v4 file that the header addresses by
 * byte offset ({@code 16x1+24}); its own header is checked against the WFDB one as well.
 *
 * <p>Bounds, checked before anything is allocated: a record holds at most {@link Signals#MAX_SAMPLES} samples over
 * all its signals (from the header, or from the file's size when the header leaves the length open) and at least
 * one; a signal file is named by a plain file name in the header's folder. Gains and baselines are checked by
 * {@link WfdbHeader}, so that the millivolts are always finite.
 */
public final class Wfdb {

    private Wfdb() {
    }

    /** A record's samples, as stored, with the header that describes them. */
    public static final class Record {
        private final WfdbHeader header;
        private final int[][] digital;

        Record(WfdbHeader header, int[][] digital) {
            this.header = header;
            this.digital = digital;
        }

        public WfdbHeader header() {
            return header;
        }

        /** {@code [signal][sample]} ADC values as stored; do not modify. */
        public int[][] digital() {
            return digital;
        }

        /**
         * The signals in millivolts: {@code (digital - baseline) / gain}, scaled from the header's units.
         *
         * @throws EcgFormatException if a signal's units are not a voltage
         */
        public float[][] millivolts() throws EcgFormatException {
            float[][] out = new float[digital.length][];
            for (int s = 0; s < digital.length; s++) {
                WfdbHeader.Signal sig = header.signals().get(s);
                double scale = toMillivolts(header.file(), sig) / sig.gain();
                int[] d = digital[s];
                float[] f = new float[d.length];
                int base = sig.baseline();
                for (int n = 0; n < d.length; n++) {
                    f[n] = (float) (((long) d[n] - base) * scale);
                    if (!Float.isFinite(f[n])) {
                        // The header's gain range makes this unreachable for int samples; kept as the last guard.
                        throw new EcgFormatException(header.file(), "line " + sig.line() + " (" + sig.description()
                                + "), sample " + n, "(" + d[n] + " - " + base + ") / " + sig.gain() + " is " + f[n]
                                + " mV; expected a finite number");
                    }
                }
                out[s] = f;
            }
            return out;
        }
    }

    private static double toMillivolts(Path file, WfdbHeader.Signal sig) throws EcgFormatException {
        double k = WfdbHeader.millivoltsPerUnit(sig.units());
        if (Double.isNaN(k)) {
            throw new EcgFormatException(file, "line " + sig.line() + ", field units", "'" + sig.units()
                    + "' is not a voltage; expected mV, uV or V");
        }
        return k;
    }

    /** Reads the header at {@code headerFile} and all its signals, checked as the class comment says. */
    public static Record read(Path headerFile) throws IOException {
        return read(WfdbHeader.read(headerFile));
    }

    /** Reads the signals of an already parsed header. */
    public static Record read(WfdbHeader header) throws IOException {
        List<WfdbHeader.Signal> signals = header.signals();
        Map<String, List<Integer>> byFile = new LinkedHashMap<>();
        for (int s = 0; s < signals.size(); s++) {
            byFile.computeIfAbsent(signals.get(s).fileName(), k -> new ArrayList<>()).add(s);
        }
        if ((long) header.samples() * signals.size() > Signals.MAX_SAMPLES) {
            throw new EcgFormatException(header.file(), "record line, field number of samples", header.samples()
                    + " samples x " + signals.size() + " signals is more than the limit of " + Signals.MAX_SAMPLES
                    + " samples per record");
        }
        int[][] digital = new int[signals.size()][];
        Path dir = header.file().toAbsolutePath().getParent();
        for (Map.Entry<String, List<Integer>> e : byFile.entrySet()) {
            readFile(header, signalFile(header, dir, e.getKey(), e.getValue().get(0)), e.getValue(), digital);
        }
        for (int s = 0; s < signals.size(); s++) {
            verify(header, signals.get(s), digital[s]);
        }
        return new Record(header, digital);
    }

    /**
     * The signal file a header line names, which must be a plain file name in the header's folder: a path would
     * let a damaged header read another record's samples, and a name the file system cannot hold is no file.
     */
    private static Path signalFile(WfdbHeader header, Path dir, String name, int signal) throws EcgFormatException {
        WfdbHeader.Signal sig = header.signals().get(signal);
        Path p;
        try {
            p = dir.resolve(name);
        } catch (InvalidPathException e) {
            throw new EcgFormatException(header.file(), "line " + sig.line() + ", field file name", "'" + name
                    + "' is not a valid file name: " + e.getReason());
        }
        if (!dir.equals(p.getParent()) || name.equals(".") || name.equals("..")) {
            throw new EcgFormatException(header.file(), "line " + sig.line() + ", field file name", "'" + name
                    + "'; expected a file name in the header's folder, without a path");
        }
        return p;
    }

    private static void readFile(WfdbHeader header, Path data, List<Integer> members, int[][] out)
            throws IOException {
        WfdbHeader.Signal first = header.signals().get(members.get(0));
        for (int s : members) {
            WfdbHeader.Signal sig = header.signals().get(s);
            if (sig.format() != first.format() || sig.byteOffset() != first.byteOffset()) {
                throw new EcgFormatException(header.file(), "line " + sig.line() + ", field format",
                        "signals in one file must share format and offset; expected " + first.format() + "+"
                                + first.byteOffset() + ", found " + sig.format() + "+" + sig.byteOffset());
            }
            if (sig.samplesPerFrame() != 1) {
                throw new EcgFormatException(header.file(), "line " + sig.line() + ", field format",
                        "samples per frame " + sig.samplesPerFrame() + " is not supported; expected 1");
            }
        }
        SampleFormat format = SampleFormat.of(first.format());
        if (format == null) {
            throw new EcgFormatException(header.file(), "line " + first.line() + ", field format",
                    "unknown or unsupported WFDB format " + first.format() + "; supported: "
                            + SampleFormat.SUPPORTED);
        }
        if (!Files.isRegularFile(data)) {
            throw new EcgFormatException(data, null, "signal file named by " + header.file() + " line "
                    + first.line() + " not found", new NoSuchFileException(data.toString()));
        }
        int nsig = members.size();
        long size = Files.size(data);
        long available = size - first.byteOffset();
        if (available < 0) {
            throw new EcgFormatException(data, "byte offset " + first.byteOffset(), "truncated: file has only "
                    + size + " bytes");
        }
        long nsamp = header.samples();
        if (nsamp == 0) {
            nsamp = format.samplesIn(available) / nsig;
            if (nsamp * header.signals().size() > Signals.MAX_SAMPLES) {
                throw new EcgFormatException(data, null, available + " bytes hold " + nsamp + " samples x "
                        + header.signals().size() + " signals, more than the limit of " + Signals.MAX_SAMPLES
                        + " samples per record");
            }
        }
        if (nsamp == 0) {
            throw new EcgFormatException(data, "after byte offset " + first.byteOffset(), "no samples: "
                    + header.file().getFileName() + " leaves the length to the file, which holds " + available
                    + " bytes, less than one frame of " + nsig + " signals in format " + first.format());
        }
        long need = format.bytesFor(nsamp * nsig);
        if (available < need) {
            throw new EcgFormatException(data, "after byte offset " + first.byteOffset(), "truncated: header "
                    + header.file().getFileName() + " announces " + nsamp + " samples x " + nsig + " signals in format "
                    + first.format() + " = " + need + " bytes, file holds " + available);
        }
        if (available > need) {
            throw new EcgFormatException(data, "after byte offset " + first.byteOffset(), "length mismatch: header "
                    + header.file().getFileName() + " announces " + nsamp + " samples x " + nsig + " signals = "
                    + need + " bytes, file holds " + available);
        }
        if (need > Integer.MAX_VALUE) {
            throw new EcgFormatException(data, null, "record of " + need + " bytes is too large to read at once");
        }
        if (data.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mat") && first.byteOffset() > 0) {
            checkMat4(data, header, first, nsig, nsamp);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) need);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            long pos = first.byteOffset();
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos);
                if (r < 0) {
                    throw new EcgFormatException(data, "byte " + pos, "truncated while reading");
                }
                pos += r;
            }
        }
        buf.flip();
        int n = (int) nsamp;
        int[][] frames = new int[nsig][n];
        format.decode(buf, frames, n);
        for (int k = 0; k < nsig; k++) {
            int s = members.get(k);
            int[] d = frames[k];
            for (int i = 0; i < n; i++) {
                if (d[i] == format.missing) {
                    WfdbHeader.Signal sig = header.signals().get(s);
                    throw new EcgFormatException(data, "signal " + (s + 1) + " (" + sig.description() + "), sample "
                            + i, "missing-value marker " + format.missing + " (NaN) in the data; records with gaps "
                            + "are not supported");
                }
            }
            out[s] = d;
        }
    }

    /**
     * A CinC MAT v4 file starts with type, rows, columns, imaginary flag and name length; its matrix must be
     * {@code nsig x nsamp} int16 in little-endian order, or the byte offset is pointing at something else.
     */
    private static void checkMat4(Path data, WfdbHeader header, WfdbHeader.Signal first, int nsig, long nsamp)
            throws IOException {
        byte[] h = new byte[20];
        try (InputStream in = Files.newInputStream(data)) {
            if (in.readNBytes(h, 0, 20) < 20) {
                throw new EcgFormatException(data, "MAT v4 header", "truncated: fewer than 20 bytes");
            }
        }
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getInt();
        int rows = b.getInt();
        int cols = b.getInt();
        int imag = b.getInt();
        int namlen = b.getInt();
        if (type > 9999 || type < 0) {
            // Not a little-endian v4 file (or a v5 file): the WFDB offset alone must then be trusted.
            return;
        }
        int precision = (type / 10) % 10;
        int expectedPrecision = first.format() == 16 ? 3 : -1;
        if (expectedPrecision >= 0 && precision != expectedPrecision) {
            throw new EcgFormatException(data, "MAT v4 header, field type", "type " + type
                    + " is not int16 (expected precision digit 3 for WFDB format 16)");
        }
        if (rows != nsig) {
            throw new EcgFormatException(data, "MAT v4 header, field rows", "matrix has " + rows
                    + " rows (leads) but " + header.file().getFileName() + " has " + nsig + " signals");
        }
        if (cols != nsamp) {
            throw new EcgFormatException(data, "MAT v4 header, field columns", "matrix has " + cols
                    + " columns (samples) but " + header.file().getFileName() + " announces " + nsamp);
        }
        if (imag != 0 || 20L + namlen != first.byteOffset()) {
            throw new EcgFormatException(data, "MAT v4 header", "data starts at byte " + (20L + namlen)
                    + (imag != 0 ? " and is complex" : "") + ", but the header's byte offset is "
                    + first.byteOffset());
        }
    }

    private static void verify(WfdbHeader header, WfdbHeader.Signal sig, int[] d) throws EcgFormatException {
        String where = "line " + sig.line() + " (" + sig.description() + ")";
        if (sig.initialValue() != null && d.length > 0 && d[0] != sig.initialValue()) {
            throw new EcgFormatException(header.file(), where + ", field initial value", "header says "
                    + sig.initialValue() + ", first sample in " + sig.fileName() + " is " + d[0]);
        }
        if (sig.checksum() != null) {
            int sum = 0;
            for (int v : d) {
                sum += v;
            }
            if ((short) sum != (short) (int) sig.checksum()) {
                throw new EcgFormatException(header.file(), where + ", field checksum", "header says "
                        + sig.checksum() + ", 16-bit sum of the " + d.length + " samples in " + sig.fileName()
                        + " is " + (short) sum);
            }
        }
    }

    /** The storage formats this reader decodes; frame-interleaved, all signals of a file in one format. */
    enum SampleFormat {
        F16(16, -32768), F61(61, -32768), F80(80, -128), F160(160, -32768), F212(212, -2048), F24(24, -8388608),
        F32(32, Integer.MIN_VALUE);

        static final String SUPPORTED = "16, 212, 61, 80, 160, 24, 32";

        final int code;
        final int missing;

        SampleFormat(int code, int missing) {
            this.code = code;
            this.missing = missing;
        }

        static SampleFormat of(int code) {
            for (SampleFormat f : values()) {
                if (f.code == code) {
                    return f;
                }
            }
            return null;
        }

        long bytesFor(long samples) {
            switch (this) {
                case F80:
                    return samples;
                case F212:
                    return (samples * 3 + 1) / 2;
                case F24:
                    return samples * 3;
                case F32:
                    return samples * 4;
                default:
                    return samples * 2;
            }
        }

        long samplesIn(long bytes) {
            switch (this) {
                case F80:
                    return bytes;
                case F212:
                    return bytes * 2 / 3;
                case F24:
                    return bytes / 3;
                case F32:
                    return bytes / 4;
                default:
                    return bytes / 2;
            }
        }

        void decode(ByteBuffer b, int[][] out, int n) {
            int nsig = out.length;
            switch (this) {
                case F16:
                case F61:
                case F160: {
                    b.order(this == F61 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        for (int s = 0; s < nsig; s++) {
                            int v = b.getShort();
                            out[s][i] = this == F160 ? (v & 0xFFFF) - 32768 : v;
                        }
                    }
                    break;
                }
                case F80:
                    for (int i = 0; i < n; i++) {
                        for (int s = 0; s < nsig; s++) {
                            out[s][i] = (b.get() & 0xFF) - 128;
                        }
                    }
                    break;
                case F24:
                    for (int i = 0; i < n; i++) {
                        for (int s = 0; s < nsig; s++) {
                            int v = (b.get() & 0xFF) | (b.get() & 0xFF) << 8 | b.get() << 16;
                            out[s][i] = v;
                        }
                    }
                    break;
                case F32:
                    b.order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        for (int s = 0; s < nsig; s++) {
                            out[s][i] = b.getInt();
                        }
                    }
                    break;
                case F212: {
                    long total = (long) n * nsig;
                    for (long k = 0; k < total; k += 2) {
                        int b0 = b.get() & 0xFF;
                        int b1 = b.get() & 0xFF;
                        int s0 = ((b1 & 0x0F) << 8 | b0) << 20 >> 20;
                        put(out, k, s0);
                        if (k + 1 < total) {
                            int b2 = b.get() & 0xFF;
                            int s1 = ((b1 & 0xF0) << 4 | b2) << 20 >> 20;
                            put(out, k + 1, s1);
                        }
                    }
                    break;
                }
                default:
                    throw new IllegalStateException(name());
            }
        }

        private static void put(int[][] out, long k, int v) {
            int nsig = out.length;
            out[(int) (k % nsig)][(int) (k / nsig)] = v;
        }
    }
}
