package dev.mvkt.datasets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Checks the element structure of a MATLAB v5 file before MFL parses it. MFL allocates every array at the size its
 * tag declares ({@code new int[numBytes / 4]}, one slot per struct or cell element from the dimensions) before
 * reading a byte, so a damaged tag that declares 2 GB costs 2 GB of heap. Here every tag is checked against the bytes
 * that actually follow it (in the file, or in the decompressed block it sits in), struct and cell element counts
 * against the bytes that would have to hold them, numeric data against its dimensions, and nesting depth, so that
 * nothing MFL then allocates can exceed what the file holds.
 *
 * <p>Limits: a file, and the decompressed content of all its compressed blocks together, may be at most
 * {@link #MAX_CONTENT_BYTES} (the {@link Signals#MAX_SAMPLES} samples of a record as doubles, plus 1 MiB for the
 * rest); nesting at most {@link #MAX_DEPTH} arrays deep. Sparse matrices, objects, function handles and opaque
 * classes (tables, strings) are refused: an ECG record holds none, and they are where MFL's own parsing is deepest.
 */
final class Mat5Check {
    static final long MAX_CONTENT_BYTES = Signals.MAX_SAMPLES * 8 + (1 << 20);
    static final int MAX_DEPTH = 16;
    private static final int MI_INT8 = 1;
    private static final int MI_INT32 = 5;
    private static final int MI_UINT32 = 6;
    private static final int MI_MATRIX = 14;
    private static final int MI_COMPRESSED = 15;

    private final Path file;
    private long inflated;

    private Mat5Check(Path file) {
        this.file = file;
    }

    /**
     * Reads the whole file and checks it as the class comment says.
     *
     * @return the file's bytes, for MFL to parse
     * @throws EcgFormatException naming the file and the byte offset of the first element that does not fit
     */
    static byte[] read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_CONTENT_BYTES) {
            throw new EcgFormatException(file, null, size + " bytes; a record file is at most " + MAX_CONTENT_BYTES
                    + " bytes");
        }
        byte[] bytes = Files.readAllBytes(file);
        new Mat5Check(file).check(bytes);
        return bytes;
    }

    private void check(byte[] bytes) throws EcgFormatException {
        if (bytes.length < 128) {
            throw new EcgFormatException(file, "MAT v5 header", "not a MATLAB v5 file: " + bytes.length
                    + " bytes, shorter than the 128-byte header");
        }
        ByteOrder order;
        if (bytes[126] == 'I' && bytes[127] == 'M') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (bytes[126] == 'M' && bytes[127] == 'I') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new EcgFormatException(file, "MAT v5 header, endian indicator", "not a MATLAB v5 file: bytes "
                    + "126-127 are neither 'IM' nor 'MI'");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        int pos = 128;
        while (pos < bytes.length) {
            if (bytes.length - pos < 8) {
                throw new EcgFormatException(file, "byte " + pos, "truncated: " + (bytes.length - pos)
                        + " bytes left, less than an element tag");
            }
            int type = b.getInt(pos);
            long n = Integer.toUnsignedLong(b.getInt(pos + 4));
            String where = "element at byte " + pos;
            if (n > bytes.length - pos - 8L) {
                throw new EcgFormatException(file, where, "tag declares " + n + " bytes, the file holds only "
                        + (bytes.length - pos - 8L) + " after it");
            }
            if (type == MI_MATRIX) {
                matrix(b, pos + 8, (int) n, 1, where);
            } else if (type == MI_COMPRESSED) {
                byte[] content = inflate(bytes, pos + 8, (int) n, where);
                ByteBuffer c = ByteBuffer.wrap(content).order(order);
                elements(c, 0, content.length, 1, where + ", decompressed");
            } else {
                throw new EcgFormatException(file, where, "data type " + type + "; expected a matrix (14) or a "
                        + "compressed block (15) at the top level");
            }
            pos += 8 + (int) n;
        }
    }

    /** Decompresses one block, refusing a damaged stream and content beyond the limit. */
    private byte[] inflate(byte[] bytes, int off, int len, String where) throws EcgFormatException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(bytes, off, len);
            byte[] out = new byte[Math.max(64, Math.min(len * 4, 1 << 20))];
            int size = 0;
            while (!inf.finished()) {
                if (size == out.length) {
                    long room = MAX_CONTENT_BYTES - inflated - size;
                    if (room <= 0) {
                        throw new EcgFormatException(file, where, "decompresses to more than " + MAX_CONTENT_BYTES
                                + " bytes, the limit for a record file");
                    }
                    out = java.util.Arrays.copyOf(out, (int) Math.min((long) out.length * 2, out.length + room));
                }
                int r = inf.inflate(out, size, out.length - size);
                size += r;
                if (r == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new EcgFormatException(file, where, "compressed block ends before its data does "
                            + "(truncated or damaged)");
                }
            }
            inflated += size;
            return java.util.Arrays.copyOf(out, size);
        } catch (DataFormatException e) {
            throw new EcgFormatException(file, where, "damaged compressed block: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    /** The elements from {@code pos} to {@code end}: each must fit, matrices are checked in depth. */
    private void elements(ByteBuffer b, int pos, int end, int depth, String where) throws EcgFormatException {
        while (pos < end) {
            int[] t = tag(b, pos, end, where);
            if (t[0] == MI_MATRIX) {
                matrix(b, pos + 8, t[1], depth, where + ", element at byte " + pos);
            }
            pos += t[2];
        }
    }

    /**
     * The tag at {@code pos}: {type, data bytes, whole size with padding}; the whole element must end by {@code end}.
     * A small element keeps up to 4 data bytes inside its 8-byte tag.
     */
    private int[] tag(ByteBuffer b, int pos, int end, String where) throws EcgFormatException {
        if (end - pos < 8) {
            throw new EcgFormatException(file, where + ", byte " + pos, "truncated: " + (end - pos)
                    + " bytes left, less than an element tag");
        }
        int raw = b.getInt(pos);
        if (raw >>> 16 != 0) {
            int n = raw >>> 16;
            if (n > 4) {
                throw new EcgFormatException(file, where + ", byte " + pos, "small element declares " + n
                        + " bytes; at most 4 fit in its tag");
            }
            return new int[] {raw & 0xFFFF, n, 8};
        }
        long n = Integer.toUnsignedLong(b.getInt(pos + 4));
        long whole = 8 + (raw == MI_MATRIX || raw == MI_COMPRESSED ? n : (n + 7) / 8 * 8);
        if (whole > end - pos) {
            throw new EcgFormatException(file, where + ", byte " + pos, "tag declares " + n + " bytes, only "
                    + (end - pos - 8) + " follow it within its parent");
        }
        return new int[] {raw, (int) n, (int) whole};
    }

    /** A matrix element's content at {@code pos}, {@code n} bytes: flags, dimensions, name, then by class. */
    private void matrix(ByteBuffer b, int pos, int n, int depth, String where) throws EcgFormatException {
        if (depth > MAX_DEPTH) {
            throw new EcgFormatException(file, where, "arrays nested more than " + MAX_DEPTH + " deep");
        }
        int end = pos + n;
        if (n == 0) {
            return; // MFL reads an empty matrix tag as an empty matrix
        }
        int[] flags = tag(b, pos, end, where);
        if (flags[0] != MI_UINT32 || flags[1] != 8) {
            throw new EcgFormatException(file, where, "array flags are not 2 uint32 values");
        }
        int cls = b.getInt(pos + 8) & 0xFF;
        pos += flags[2];
        int[] dimsTag = tag(b, pos, end, where);
        if (dimsTag[0] != MI_INT32 || dimsTag[1] < 8 || dimsTag[1] % 4 != 0) {
            throw new EcgFormatException(file, where, "dimensions are not at least 2 int32 values");
        }
        long numel = 1;
        for (int k = 0; k < dimsTag[1] / 4; k++) {
            int d = b.getInt(pos + 8 + 4 * k);
            if (d < 0) {
                throw new EcgFormatException(file, where, "dimension " + (k + 1) + " is " + d);
            }
            // Saturate: any count this large is refused below, and the product must not wrap around.
            numel = d != 0 && numel > (1L << 40) / d ? 1L << 40 : numel * d;
        }
        pos += dimsTag[2];
        int[] nameTag = tag(b, pos, end, where);
        if (nameTag[0] != MI_INT8) {
            throw new EcgFormatException(file, where, "array name is not int8 text");
        }
        pos += nameTag[2];
        switch (cls) {
            case 1: // cell: one matrix per element
                requireRoom(numel, 1, end - pos, where, "cell");
                elements(b, pos, end, depth + 1, where);
                break;
            case 2: { // struct: field name length, field names, then one matrix per field and element
                int[] lenTag = tag(b, pos, end, where);
                if (lenTag[0] != MI_INT32 || lenTag[1] != 4) {
                    throw new EcgFormatException(file, where, "struct field name length is not one int32");
                }
                int maxLen = b.getInt(b.getInt(pos) >>> 16 != 0 ? pos + 4 : pos + 8);
                pos += lenTag[2];
                int[] namesTag = tag(b, pos, end, where);
                if (maxLen < 0) {
                    throw new EcgFormatException(file, where, "struct field name length " + maxLen);
                }
                long fields = maxLen == 0 ? 0 : namesTag[1] / maxLen;
                pos += namesTag[2];
                requireRoom(numel, Math.max(1, fields), end - pos, where, "struct");
                elements(b, pos, end, depth + 1, where);
                break;
            }
            case 4: // char: data of any text encoding, its size checked by its tag
                elements(b, pos, end, depth + 1, where);
                break;
            case 6: case 7: case 8: case 9: case 10: case 11: case 12: case 13: case 14: case 15: {
                int[] real = tag(b, pos, end, where);
                int width = width(real[0]);
                if (width == 0 || real[1] / width != numel || real[1] % width != 0) {
                    throw new EcgFormatException(file, where, "numeric data of " + real[1] + " bytes (type "
                            + real[0] + ") does not hold the " + numel + " elements its dimensions declare");
                }
                elements(b, pos, end, depth + 1, where);
                break;
            }
            default:
                throw new EcgFormatException(file, where, "MATLAB class " + cls + " (sparse, object, function "
                        + "handle or opaque) is not supported in an ECG record");
        }
    }

    /** Each of {@code count x perElement} slots needs at least an 8-byte element after it. */
    private void requireRoom(long count, long perElement, int bytes, String where, String what)
            throws EcgFormatException {
        if (count > bytes / 8 / perElement) {
            throw new EcgFormatException(file, where, what + " declares " + count + " elements"
                    + (perElement > 1 ? " x " + perElement + " fields" : "") + ", but only " + bytes
                    + " bytes follow, room for at most " + bytes / 8 / perElement);
        }
    }

    /** Bytes per element of a numeric MAT data type, 0 for a type that is not numeric. */
    private static int width(int type) {
        switch (type) {
            case 1: case 2:
                return 1; // int8, uint8
            case 3: case 4:
                return 2; // int16, uint16
            case 5: case 6: case 7:
                return 4; // int32, uint32, single
            case 9: case 12: case 13:
                return 8; // double, int64, uint64
            default:
                return 0;
        }
    }
}
