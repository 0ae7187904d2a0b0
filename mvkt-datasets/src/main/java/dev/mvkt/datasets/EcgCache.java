package dev.mvkt.datasets;

import com.google.common.collect.ImmutableList;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import dev.mvkt.api.SplitName;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The compact on-disk form of a loaded dataset: float32 samples, memory-mapped, so that the second load of a
 * PTB-XL-sized set only reads a few hundred kilobytes of metadata, and a 500 Hz set never has to fit on the heap.
 *
 * <p>Layout: magic {@code MVKTEC01}, an int length and a metadata block (identity, leads, rate, length, classes,
 * per split the record ids, labels and first labels), then the samples of every record in split order, {@code [lead][sample]}
 * float32 little-endian, then the training statistics and the end magic {@code MVKTDONE}. A file is written under a
 * temporary name and renamed only once complete, and one whose size, magic or identity does not match is rebuilt,
 * so a crash mid-write can never hand out half a dataset.
 */
final class EcgCache {
    /** 2: each record's first label (the class its source lists first) after its labels. */
    static final int FORMAT_VERSION = 2;
    private static final byte[] MAGIC = "MVKTEC01".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "MVKTDONE".getBytes(StandardCharsets.US_ASCII);
    /** Records read in parallel before being written in order; bounds the heap used while building. */
    private static final int BATCH = 64;

    /** A loaded dataset: its splits and training statistics. */
    record Data(Map<SplitName, Split> splits, SignalStatistics trainStatistics, Path file) {
    }

    private EcgCache() {
    }

    /**
     * The cache folder when a builder's {@code optCacheDir} is not given: {@code ~/.cache/mvkt}. The folder is a
     * setting of the loader's builder, not of the JVM, so that two datasets in one process can use different ones.
     */
    static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "mvkt");
    }

    /**
     * Opens the cache for {@code identity}, building it from {@code sources} first when it is absent or invalid.
     *
     * @param fingerprint anything that changes when the source files change: {@link #fingerprint(Path)} of every file
     *                    a record is read from, mixed into the name
     */
    static Data load(Path dir, String prefix, String identity, String fingerprint, List<Lead> leads,
            double samplingRate, int length, LabelSet labels, List<RecordSource> sources) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(prefix + "-" + hash(identity + "\n" + fingerprint) + ".mvktcache");
        if (Files.isRegularFile(file)) {
            Data d = tryOpen(file, identity);
            if (d != null) {
                return d;
            }
        }
        build(file, identity, leads, samplingRate, length, labels, sources);
        Data d = tryOpen(file, identity);
        if (d == null) {
            throw new IOException("cache " + file + " was just written but does not read back");
        }
        return d;
    }

    /**
     * What a cache key knows of one source file: its absolute path, size, modification time at the file system's
     * full precision, and where the platform offers them the inode change time and file key, which no tool can set
     * back (so a file rewritten within the same millisecond, or one whose time was restored, still changes the key).
     * A missing file gives a key of its own, so deleting a file after a first build forces a rebuild, which then
     * refuses the record by name instead of serving the cached samples.
     */
    static String fingerprint(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return abs + ":absent";
        }
        String changed = "";
        try {
            changed = ":" + Files.getAttribute(file, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // Not a POSIX file system: size and modification time have to do.
        }
        return abs + ":" + a.size() + ":" + a.lastModifiedTime() + changed + ":" + a.fileKey();
    }

    /** {@link #fingerprint(Path)} of {@code name} in {@code dir}; a name that is no valid path is keyed as itself. */
    static String fingerprint(Path dir, String name) throws IOException {
        try {
            return fingerprint(dir.resolve(name));
        } catch (InvalidPathException e) {
            return dir.toAbsolutePath().normalize() + "/" + name + ":invalid";
        }
    }

    private static String hash(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void build(Path file, String identity, List<Lead> leads, double fs, int length, LabelSet labels,
            List<RecordSource> sources) throws IOException {
        List<RecordSource> ordered = new ArrayList<>();
        for (SplitName s : SplitName.values()) {
            for (RecordSource r : sources) {
                if (r.split() == s) {
                    ordered.add(r);
                }
            }
        }
        ByteArrayOutputStream metaBytes = new ByteArrayOutputStream();
        try (DataOutputStream m = new DataOutputStream(metaBytes)) {
            m.writeInt(FORMAT_VERSION);
            m.writeUTF(identity);
            m.writeInt(leads.size());
            for (Lead l : leads) {
                m.writeUTF(l.name());
            }
            m.writeDouble(fs);
            m.writeInt(length);
            m.writeInt(labels.size());
            for (String n : labels.names()) {
                m.writeUTF(n);
            }
            for (SplitName s : SplitName.values()) {
                List<RecordSource> in = ordered.stream().filter(r -> r.split() == s).toList();
                m.writeInt(in.size());
                for (RecordSource r : in) {
                    m.writeUTF(r.id());
                    for (float v : r.labels()) {
                        m.writeByte(v != 0 ? 1 : 0);
                    }
                    m.writeByte(r.firstLabel());
                }
            }
        }
        byte[] meta = metaBytes.toByteArray();
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        boolean done = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + meta.length);
            head.put(MAGIC).putInt(meta.length).put(meta).flip();
            writeFully(ch, head);
            int recFloats = leads.size() * length;
            ByteBuffer out = ByteBuffer.allocate(recFloats * 4 * BATCH).order(ByteOrder.LITTLE_ENDIAN);
            double sum = 0;
            double sumSq = 0;
            long count = 0;
            for (int start = 0; start < ordered.size(); start += BATCH) {
                int end = Math.min(ordered.size(), start + BATCH);
                float[][][] batch = readBatch(ordered, start, end);
                out.clear();
                for (int k = 0; k < batch.length; k++) {
                    RecordSource r = ordered.get(start + k);
                    float[][] x = batch[k];
                    check(r, x, leads.size(), length);
                    double s1 = 0;
                    double s2 = 0;
                    for (float[] lead : x) {
                        for (float v : lead) {
                            s1 += v;
                            s2 += (double) v * v;
                        }
                        out.asFloatBuffer().put(lead);
                        out.position(out.position() + lead.length * 4);
                    }
                    if (r.split() == SplitName.TRAIN) {
                        sum += s1;
                        sumSq += s2;
                        count += recFloats;
                    }
                }
                out.flip();
                writeFully(ch, out);
            }
            double mean = count == 0 ? 0 : sum / count;
            double var = count == 0 ? 0 : Math.max(0, sumSq / count - mean * mean);
            ByteBuffer tail = ByteBuffer.allocate(8 + 8 + 8 + END.length);
            tail.putDouble(mean).putDouble(Math.sqrt(var)).putLong(count).put(END).flip();
            writeFully(ch, tail);
            ch.force(true);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cache folder " + file.getParent() + " does not support atomic rename; choose "
                    + "another cache folder", e);
        }
    }

    private static float[][][] readBatch(List<RecordSource> ordered, int start, int end) throws IOException {
        try {
            return IntStream.range(start, end).parallel().mapToObj(i -> {
                try {
                    return ordered.get(i).signal().read();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toArray(float[][][]::new);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void check(RecordSource r, float[][] x, int leads, int length) {
        if (x.length != leads) {
            throw new IllegalStateException("record " + r.id() + ": reader returned " + x.length + " leads, expected "
                    + leads);
        }
        for (float[] l : x) {
            if (l.length != length) {
                throw new IllegalStateException("record " + r.id() + ": reader returned " + l.length
                        + " samples, expected " + length);
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Opens a complete cache file, or returns null when it is not one (wrong magic, size, version or identity). */
    static Data tryOpen(Path file, String identity) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < MAGIC.length + 4 + END.length + 24) {
                return null;
            }
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4);
            readFully(ch, head, 0);
            head.flip();
            byte[] magic = new byte[MAGIC.length];
            head.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                return null;
            }
            int metaLen = head.getInt();
            if (metaLen < 0 || metaLen > size) {
                return null;
            }
            ByteBuffer metaBuf = ByteBuffer.allocate(metaLen);
            readFully(ch, metaBuf, MAGIC.length + 4);
            DataInputStream m = new DataInputStream(new ByteArrayInputStream(metaBuf.array()));
            if (m.readInt() != FORMAT_VERSION || !m.readUTF().equals(identity)) {
                return null;
            }
            int nLeads = m.readInt();
            List<Lead> leads = new ArrayList<>();
            for (int i = 0; i < nLeads; i++) {
                leads.add(Lead.valueOf(m.readUTF()));
            }
            double fs = m.readDouble();
            int length = m.readInt();
            int nClasses = m.readInt();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < nClasses; i++) {
                names.add(m.readUTF());
            }
            LabelSet labels = LabelSet.of(names);
            long dataStart = MAGIC.length + 4L + metaLen;
            long recBytes = (long) nLeads * length * 4;
            long offset = dataStart;
            Map<SplitName, Split> splits = new EnumMap<>(SplitName.class);
            List<Object[]> pending = new ArrayList<>();
            long total = 0;
            for (SplitName s : SplitName.values()) {
                int n = m.readInt();
                String[] ids = new String[n];
                float[][] y = new float[n][nClasses];
                int[] first = new int[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = m.readUTF();
                    for (int c = 0; c < nClasses; c++) {
                        y[i][c] = m.readByte();
                    }
                    first[i] = m.readByte();
                }
                pending.add(new Object[] {s, ids, y, offset, first});
                offset += n * recBytes;
                total += n;
            }
            long expected = dataStart + total * recBytes + 24 + END.length;
            if (size != expected) {
                return null;
            }
            ByteBuffer tail = ByteBuffer.allocate(24 + END.length);
            readFully(ch, tail, size - tail.capacity());
            tail.flip();
            double mean = tail.getDouble();
            double std = tail.getDouble();
            long count = tail.getLong();
            byte[] end = new byte[END.length];
            tail.get(end);
            if (!java.util.Arrays.equals(end, END)) {
                return null;
            }
            for (Object[] p : pending) {
                String[] ids = (String[]) p[1];
                splits.put((SplitName) p[0], new MappedSplit(map(ch, (long) p[3], ids.length, recBytes), ids,
                        (float[][]) p[2], (int[]) p[4], leads, fs, length, labels, (int) recBytes));
            }
            return new Data(splits, new SignalStatistics(mean, std, count), file);
        } catch (java.io.EOFException | java.io.UTFDataFormatException | IllegalArgumentException e) {
            return null;
        }
    }

    private static MappedByteBuffer[] map(FileChannel ch, long start, int n, long recBytes) throws IOException {
        if (n == 0) {
            return new MappedByteBuffer[0];
        }
        int perChunk = (int) Math.max(1, Integer.MAX_VALUE / recBytes);
        int chunks = (n + perChunk - 1) / perChunk;
        MappedByteBuffer[] out = new MappedByteBuffer[chunks];
        for (int c = 0; c < chunks; c++) {
            int first = c * perChunk;
            int count = Math.min(perChunk, n - first);
            out[c] = ch.map(FileChannel.MapMode.READ_ONLY, start + first * recBytes, count * recBytes);
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new java.io.EOFException();
            }
            pos += r;
        }
    }

    /** A split backed by a mapped cache file; each {@link #record} call copies one record out of the page cache. */
    static final class MappedSplit implements Split {
        private final MappedByteBuffer[] chunks;
        private final int perChunk;
        private final String[] ids;
        private final float[][] labelRows;
        private final int[] firstLabels;
        private final ImmutableList<Lead> leads;
        private final double fs;
        private final int length;
        private final LabelSet labels;
        private final int recBytes;

        MappedSplit(MappedByteBuffer[] chunks, String[] ids, float[][] labelRows, int[] firstLabels,
                List<Lead> leads, double fs, int length, LabelSet labels, int recBytes) {
            this.chunks = chunks;
            this.perChunk = Math.max(1, Integer.MAX_VALUE / recBytes);
            this.ids = ids;
            this.labelRows = labelRows;
            this.firstLabels = firstLabels;
            this.leads = ImmutableList.copyOf(leads);
            this.fs = fs;
            this.length = length;
            this.labels = labels;
            this.recBytes = recBytes;
        }

        @Override
        public int size() {
            return ids.length;
        }

        /** From memory: the labels are not in the mapped file, so the signal need not be read. */
        @Override
        public float[] labels(int index) {
            if (index < 0 || index >= ids.length) {
                throw new IndexOutOfBoundsException("record index " + index + " outside 0.." + (ids.length - 1));
            }
            return labelRows[index];
        }

        /** The source's own first label where it gave one, else the lowest positive class. */
        @Override
        public int firstLabel(int index) {
            int f = firstLabels[index];
            return f >= 0 ? f : Split.lowestPositive(labels(index));
        }

        @Override
        public EcgRecord record(int index) {
            if (index < 0 || index >= ids.length) {
                throw new IndexOutOfBoundsException("record index " + index + " outside 0.." + (ids.length - 1));
            }
            // An absolute slice leaves the shared buffer's position alone, so concurrent readers are safe.
            ByteBuffer b = chunks[index / perChunk].slice((index % perChunk) * recBytes, recBytes)
                    .order(ByteOrder.LITTLE_ENDIAN);
            FloatBuffer f = b.asFloatBuffer();
            float[][] x = new float[leads.size()][length];
            for (float[] lead : x) {
                f.get(lead);
            }
            return new EcgRecord(ids[index], x, fs, leads, labelRows[index].clone());
        }

        @Override
        public List<Lead> leads() {
            return leads;
        }

        @Override
        public double samplingRate() {
            return fs;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public LabelSet labels() {
            return labels;
        }

        @Override
        public float[][] labelMatrix() {
            float[][] y = new float[labelRows.length][];
            for (int i = 0; i < y.length; i++) {
                y[i] = labelRows[i].clone();
            }
            return y;
        }
    }
}
