package dev.mvkt.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WfdbTest {
    @TempDir
    Path tmp;

    private static final List<String> THREE = List.of("I", "aVR", "V1");

    @Test
    void realCincRecordsMatchTheirHeaders() throws IOException {
        Path data = Fixtures.sharedData();
        assumeTrue(data != null, Fixtures.SKIP);
        Path dir = data.resolve("ecg-samples/cinc2021");
        Wfdb.Record r = Wfdb.read(dir.resolve("E07500.hea"));
        assertEquals(12, r.header().signals().size());
        assertEquals(500, r.header().samplingRate());
        assertEquals(5000, r.digital()[0].length);
        float[][] mv = r.millivolts();
        // E07500.hea: initial values -68 (I), -58 (II), 156 (V1), gain 1000/mV, baseline 0.
        assertEquals(-0.068f, mv[0][0], 1e-7);
        assertEquals(-0.058f, mv[1][0], 1e-7);
        assertEquals(0.156f, mv[6][0], 1e-7);
        assertEquals("67741000119109,426177001", r.header().comment("Dx"));
        assertEquals("78", r.header().comment("age"));
        // HR records spell the unit "mv"; it must scale the same.
        Wfdb.Record hr = Wfdb.read(dir.resolve("HR06000.hea"));
        assertEquals("mv", hr.header().signals().get(0).units());
        assertEquals(0.010f, hr.millivolts()[0][0], 1e-7);
        assertEquals(0.625f, hr.millivolts()[11][0], 1e-7);
    }

    @Test
    void everyRealCincRecordPassesItsChecksums() throws IOException {
        Path data = Fixtures.sharedData();
        assumeTrue(data != null, Fixtures.SKIP);
        List<Path> heas;
        try (Stream<Path> s = Files.list(data.resolve("ecg-samples/cinc2021"))) {
            heas = s.filter(p -> p.toString().endsWith(".hea")).sorted().toList();
        }
        assertEquals(45, heas.size());
        for (Path h : heas) {
            Wfdb.Record r = Wfdb.read(h);
            for (int s = 0; s < 12; s++) {
                assertEquals((int) r.header().signals().get(s).initialValue(), r.digital()[s][0], h + " lead " + s);
            }
        }
    }

    @Test
    void format16WithOffsetRoundTrips() throws IOException {
        short[][] d = Fixtures.digital(1, 3, 257);
        Path hea = Fixtures.writeWfdb16(tmp, "r1", 250, d, THREE, 200, "uV", 24);
        Wfdb.Record r = Wfdb.read(hea);
        assertEquals(24, r.header().signals().get(0).byteOffset());
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 257; i++) {
                assertEquals(d[s][i], r.digital()[s][i]);
            }
        }
        // uV with gain 200: 1 mV = 200000 units.
        assertEquals(d[1][5] / 200.0 / 1000.0, r.millivolts()[1][5], 1e-9);
    }

    @Test
    void format212RoundTripsWithAnOddSampleCount() throws IOException {
        int[][] d = {{-2047, 5, 2047, -1, 0}, {100, -100, 7, 33, -2000}, {1, 2, 3, 4, 5}};
        int n = 5;
        int total = n * 3;
        ByteBuffer b = ByteBuffer.allocate((total * 3 + 1) / 2);
        int[] flat = new int[total];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < 3; s++) {
                flat[i * 3 + s] = d[s][i];
            }
        }
        for (int k = 0; k < total; k += 2) {
            int s0 = flat[k] & 0xFFF;
            int s1 = k + 1 < total ? flat[k + 1] & 0xFFF : 0;
            b.put((byte) s0).put((byte) ((s0 >> 8) | ((s1 >> 8) << 4)));
            if (k + 1 < total) {
                b.put((byte) s1);
            }
        }
        Files.write(tmp.resolve("p.dat"), b.array());
        StringBuilder h = new StringBuilder("p 3 360 5\n");
        for (int s = 0; s < 3; s++) {
            int sum = 0;
            for (int v : d[s]) {
                sum += v;
            }
            h.append("p.dat 212 200(0)/mV 12 0 ").append(d[s][0]).append(' ').append((short) sum)
                    .append(" 0 ").append(THREE.get(s)).append('\n');
        }
        Files.writeString(tmp.resolve("p.hea"), h);
        Wfdb.Record r = Wfdb.read(tmp.resolve("p.hea"));
        for (int s = 0; s < 3; s++) {
            assertArrayEquals(d[s], r.digital()[s]);
        }
    }

    @Test
    void headerParsesDefaultsCommentsAndSpacedDescriptions() throws IOException {
        Files.writeString(tmp.resolve("h.hea"), "# leading comment\nh 2 360/1(0) 650000 10:00:00 01/01/2000\n"
                + "h.dat 16 200/mV 16 0 1 2 0 chest lead V1\nh.dat 16\n#Dx: 1,2\n");
        WfdbHeader h = WfdbHeader.read(tmp.resolve("h.hea"));
        assertEquals(360, h.samplingRate());
        assertEquals(650000, h.samples());
        assertEquals("chest lead V1", h.signals().get(0).description());
        assertEquals(200, h.signals().get(1).gain());
        assertNull(h.signals().get(1).checksum());
        assertEquals("1,2", h.comment("dx"));
    }

    @Test
    void truncatedDatIsRefused() throws IOException {
        Path hea = Fixtures.writeWfdb16(tmp, "t", 100, Fixtures.digital(2, 3, 100), THREE, 1000, "mV", 0);
        byte[] all = Files.readAllBytes(tmp.resolve("t.dat"));
        Files.write(tmp.resolve("t.dat"), java.util.Arrays.copyOf(all, all.length - 10));
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> Wfdb.read(hea));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("t.dat"), e.getMessage());
        assertEquals(tmp.resolve("t.dat"), e.file());
    }

    @Test
    void datLongerThanHeaderIsALengthMismatch() throws IOException {
        Path hea = Fixtures.writeWfdb16(tmp, "l", 100, Fixtures.digital(3, 3, 100), THREE, 1000, "mV", 0);
        Files.write(tmp.resolve("l.dat"), new byte[6], java.nio.file.StandardOpenOption.APPEND);
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> Wfdb.read(hea));
        assertTrue(e.getMessage().contains("length mismatch") && e.getMessage().contains("100 samples"),
                e.getMessage());
    }

    @Test
    void checksumMismatchNamesTheLineAndLead() throws IOException {
        short[][] d = Fixtures.digital(4, 3, 100);
        Path hea = Fixtures.writeWfdb16(tmp, "c", 100, d, THREE, 1000, "mV", 0);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(tmp.resolve("c.dat"))).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((50 * 3 + 1) * 2, (short) (d[1][50] + 1));
        Files.write(tmp.resolve("c.dat"), b.array());
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> Wfdb.read(hea));
        assertTrue(e.getMessage().contains("line 3 (aVR), field checksum"), e.getMessage());
        assertEquals(hea, e.file());
    }

    @Test
    void initialValueMismatchIsRefused() throws IOException {
        Path hea = Fixtures.writeWfdb16(tmp, "i", 100, Fixtures.digital(5, 3, 100), THREE, 1000, "mV", 0);
        List<String> lines = Files.readAllLines(hea);
        String[] t = lines.get(1).split(" ");
        t[5] = String.valueOf(Integer.parseInt(t[5]) + 3);
        lines.set(1, String.join(" ", t));
        Files.write(hea, lines);
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> Wfdb.read(hea));
        assertTrue(e.getMessage().contains("field initial value"), e.getMessage());
    }

    @Test
    void unknownFormatIsRefused() throws IOException {
        Path hea = Fixtures.writeWfdb16(tmp, "u", 100, Fixtures.digital(6, 3, 10), THREE, 1000, "mV", 0);
        Files.writeString(hea, Files.readString(hea).replace("u.dat 16 ", "u.dat 311 "));
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> Wfdb.read(hea));
        assertTrue(e.getMessage().contains("format 311") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void missingSampleMarkerIsRefusedAsNaN() throws IOException {
        short[][] d = Fixtures.digital(7, 3, 20);
        d[2][4] = Short.MIN_VALUE;
        Path hea = Fixtures.writeWfdb16(tmp, "m", 100, d, THREE, 1000, "mV", 0);
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> Wfdb.read(hea));
        assertTrue(e.getMessage().contains("signal 3 (V1), sample 4"), e.getMessage());
    }

    @Test
    void missingSignalFileAndMalformedHeaderAreRefused() throws IOException {
        Path hea = Fixtures.writeWfdb16(tmp, "x", 100, Fixtures.digital(8, 3, 20), THREE, 1000, "mV", 0);
        Files.delete(tmp.resolve("x.dat"));
        EcgFormatException missing = assertThrows(EcgFormatException.class, () -> Wfdb.read(hea));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        Files.writeString(tmp.resolve("bad.hea"), "bad 2 100 10\nbad.dat 16 abc/mV 16 0 0 0 0 I\n");
        EcgFormatException gain = assertThrows(EcgFormatException.class, () -> WfdbHeader.read(tmp.resolve("bad.hea")));
        assertTrue(gain.getMessage().contains("line 2, field gain"), gain.getMessage());
        Files.writeString(tmp.resolve("few.hea"), "few 2 100 10\nfew.dat 16 200/mV 16 0 0 0 0 I\n");
        EcgFormatException few = assertThrows(EcgFormatException.class, () -> WfdbHeader.read(tmp.resolve("few.hea")));
        assertTrue(few.getMessage().contains("2 signals but 1"), few.getMessage());
    }

    @Test
    void matV4HeaderMustAgreeWithTheWfdbHeader() throws IOException {
        short[][] d = Fixtures.digital(9, 3, 40);
        // Write a CinC-style .mat: v4 header says 2 rows, WFDB header says 3 signals.
        ByteBuffer b = ByteBuffer.allocate(24 + 3 * 40 * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(30).putInt(2).putInt(60).putInt(0).putInt(4).put("val\0".getBytes());
        for (int i = 0; i < 40; i++) {
            for (short[] s : d) {
                b.putShort(s[i]);
            }
        }
        Files.write(tmp.resolve("v.mat"), b.array());
        StringBuilder h = new StringBuilder("v 3 500 40\n");
        for (int s = 0; s < 3; s++) {
            h.append("v.mat 16x1+24 1000.0(0)/mV 16 0 ").append(d[s][0]).append(' ')
                    .append(Fixtures.checksum(d[s])).append(" 0 ").append(THREE.get(s)).append('\n');
        }
        Files.writeString(tmp.resolve("v.hea"), h);
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> Wfdb.read(tmp.resolve("v.hea")));
        assertTrue(e.getMessage().contains("2 rows (leads) but v.hea has 3 signals"), e.getMessage());
        ByteBuffer ok = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ok.putInt(4, 3).putInt(8, 40);
        Files.write(tmp.resolve("v.mat"), ok.array());
        assertEquals(d[2][39], Wfdb.read(tmp.resolve("v.hea")).digital()[2][39]);
    }
}
