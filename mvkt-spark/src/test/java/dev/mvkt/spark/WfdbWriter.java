package dev.mvkt.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes a WFDB record (format 16, 200 units per mV, with checksums) for tests and the benchmark. */
final class WfdbWriter {
    static final double GAIN = 200;

    private WfdbWriter() {
    }

    /**
     * Writes {@code dir/name.hea} and {@code dir/name.dat}.
     *
     * @param mv {@code [lead][sample]} in mV (rounded to the 5 µV step of the gain)
     * @return the header's path
     */
    static Path write(Path dir, String name, double hz, List<String> leads, float[][] mv, String dx)
            throws IOException {
        int n = mv[0].length;
        ByteBuffer b = ByteBuffer.allocate(2 * n * leads.size()).order(ByteOrder.LITTLE_ENDIAN);
        int[] sums = new int[leads.size()];
        int[] first = new int[leads.size()];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < leads.size(); l++) {
                short v = (short) Math.max(-32767, Math.min(32767, Math.round(mv[l][i] * GAIN)));
                b.putShort(v);
                sums[l] += v;
                if (i == 0) {
                    first[l] = v;
                }
            }
        }
        Files.write(dir.resolve(name + ".dat"), b.array());
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%s %d %s %d%n", name, leads.size(),
                hz == Math.rint(hz) ? String.valueOf((long) hz) : String.valueOf(hz), n));
        for (int l = 0; l < leads.size(); l++) {
            h.append(String.format(Locale.ROOT, "%s.dat 16 %s/mV 16 0 %d %d 0 %s%n", name, (int) GAIN, first[l],
                    (short) sums[l], leads.get(l)));
        }
        if (dx != null) {
            h.append("# Dx: ").append(dx).append(System.lineSeparator());
        }
        Path header = dir.resolve(name + ".hea");
        Files.writeString(header, h.toString());
        return header;
    }
}
