package dev.mvkt.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks, which PTB-XL's free-text
 * report column does. Rows keep the physical line they started on, for error messages.
 */
final class Csv {
    /** The largest index file read; each is read whole, so this bounds the heap a forged one can take. */
    static final long MAX_BYTES = 64L << 20;
    private final Path file;
    private final List<String> header;
    private final Map<String, Integer> columns = new HashMap<>();
    private final List<Row> rows;

    /** One data row; {@link #get} names the file, line and column when a field is missing. */
    final class Row {
        private final int line;
        private final List<String> fields;

        private Row(int line, List<String> fields) {
            this.line = line;
            this.fields = fields;
        }

        int line() {
            return line;
        }

        /** The field in the named column; blank when the row is short (CPSC's empty trailing labels). */
        String get(String column) throws EcgFormatException {
            int i = index(column);
            return i < fields.size() ? fields.get(i) : "";
        }

        String get(int index) {
            return index < fields.size() ? fields.get(index) : "";
        }

        int size() {
            return fields.size();
        }

        /** Where this field is, for error messages. */
        String where(String column) {
            return "line " + line + ", field " + column;
        }

        EcgFormatException error(String column, String problem) {
            return new EcgFormatException(file, where(column), problem);
        }
    }

    private Csv(Path file, List<String> header, List<Row> rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i).trim(), i);
        }
    }

    /** Reads the whole file; the first row is the header. */
    static Csv read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new EcgFormatException(file, null, "file not found", new NoSuchFileException(file.toString()));
        }
        List<List<String>> raw = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new StringReader(decode(file)))) {
            parse(file, in, raw, lines);
        }
        if (raw.isEmpty()) {
            throw new EcgFormatException(file, "line 1", "empty file; expected a header row");
        }
        List<String> header = raw.get(0);
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            header.set(0, header.get(0).substring(1));
        }
        Csv csv = new Csv(file, header, new ArrayList<>());
        for (int r = 1; r < raw.size(); r++) {
            List<String> f = raw.get(r);
            if (f.size() == 1 && f.get(0).isBlank()) {
                continue;
            }
            csv.rows.add(csv.new Row(lines.get(r), f));
        }
        return csv;
    }

    private static void parse(Path file, BufferedReader in, List<List<String>> out, List<Integer> lines)
            throws IOException {
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int rowLine = 1;
        int c;
        while ((c = in.read()) != -1) {
            any = true;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next != -1) {
                            in.reset();
                        }
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                }
                row.add(field.toString());
                field.setLength(0);
                out.add(row);
                lines.add(rowLine);
                row = new ArrayList<>();
                line++;
                rowLine = line;
                any = false;
            } else {
                field.append((char) c);
            }
        }
        if (quoted) {
            throw new EcgFormatException(file, "line " + rowLine, "unterminated quoted field at end of file");
        }
        if (any) {
            row.add(field.toString());
            out.add(row);
            lines.add(rowLine);
        }
    }

    /**
     * The file as UTF-8 text; bytes that are not UTF-8 are refused naming the line they are on (a buffered reader
     * would report them wherever its read-ahead happened to be).
     */
    private static String decode(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new EcgFormatException(file, null, size + " bytes; an index file is at most " + MAX_BYTES
                    + " bytes (PTB-XL's, the largest, is 7 MB)");
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult r = dec.decode(in, out, true);
        if (!r.isError()) {
            r = dec.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new EcgFormatException(file, "line " + line, "byte " + at + " (0x" + Integer.toHexString(bytes[at]
                    & 0xFF) + ") is not valid UTF-8 text");
        }
        return out.flip().toString();
    }

    Path file() {
        return file;
    }

    List<String> header() {
        return header;
    }

    List<Row> rows() {
        return rows;
    }

    boolean has(String column) {
        return columns.containsKey(column);
    }

    /** The index of a column; names the file and the header when it is absent. */
    int index(String column) throws EcgFormatException {
        Integer i = columns.get(column);
        if (i == null) {
            throw new EcgFormatException(file, "line 1 (header)", "no column '" + column + "'; columns are "
                    + header);
        }
        return i;
    }

    /** Fails unless every named column is present, so that a wrong file is refused before any row is read. */
    void require(String... names) throws EcgFormatException {
        for (String n : names) {
            index(n);
        }
    }
}
