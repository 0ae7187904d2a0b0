package dev.mvkt.samples.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A log for work on several threads at once ({@code --jobs}): each thread's text is held until its line ends, then
 * written whole, after {@code prefix}, so lines of models trained at the same time do not break into each other.
 * It is never the console, so progress bars redrawn with {@code \r} stay off.
 */
final class LogLines extends OutputStream {
    private final PrintStream target;
    private final byte[] prefix;
    private final ThreadLocal<ByteArrayOutputStream> line = ThreadLocal.withInitial(ByteArrayOutputStream::new);

    private LogLines(PrintStream target, String prefix) {
        this.target = target;
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    }

    /** A log that writes whole lines to {@code target}, each after {@code prefix}. */
    static PrintStream to(PrintStream target, String prefix) {
        return new PrintStream(new LogLines(target, prefix), true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        ByteArrayOutputStream l = line.get();
        l.write(b);
        if (b == '\n') {
            emit(l);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ByteArrayOutputStream l = line.get();
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                l.write(b, start, i + 1 - start);
                emit(l);
                start = i + 1;
            }
        }
        l.write(b, start, off + len - start);
    }

    private void emit(ByteArrayOutputStream l) {
        synchronized (target) {
            target.write(prefix, 0, prefix.length);
            target.write(l.toByteArray(), 0, l.size());
            target.flush();
        }
        l.reset();
    }
}
