package dev.mvkt.spark;

import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import dev.mvkt.datasets.EcgFiles;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.nio.file.Path;

/** Turns one record file into a record row on an executor: its signal, or the reason it could not be read. */
final class ArchiveReader {
    private ArchiveReader() {
    }

    /**
     * The row of the record {@code file} names. Never throws for a bad file: a failure is a row whose error is the
     * reader's message (an {@code EcgFormatException} names the file and field), so that no record is dropped.
     */
    static Row read(String file) {
        Path path = Path.of(file);
        try {
            EcgRecord r = EcgFiles.read(path);
            String[] leads = r.leads().stream().map(Lead::label).toArray(String[]::new);
            return RowFactory.create(r.id(), file, r.samplingRate(), leads, r.signal(),
                    r.labels().length == 0 ? null : r.labels(), null);
        } catch (Exception e) {
            // Exceptions other than IOException (a reader's bug, a malformed name) are caught too: one bad file must
            // not fail the job. Errors (out of memory) are not.
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!message.contains(file)) {
                message = file + ": " + e.getClass().getSimpleName() + ": " + message;
            }
            return RowFactory.create(recordName(path), file, null, null, null, null, message);
        }
    }

    /** The file name without its extension: the record's name in WFDB and CPSC alike. */
    static String recordName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
