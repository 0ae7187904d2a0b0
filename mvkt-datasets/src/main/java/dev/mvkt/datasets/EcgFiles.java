package dev.mvkt.datasets;

import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads single ECG record files of the formats mvkt knows, one at a time, for callers that score files rather than
 * train on an {@link dev.mvkt.api.EcgDataset} (a Spark job reads each record on the executor that scores it).
 *
 * <p>Two kinds of record are read: a WFDB record, named by its header ({@code .hea}, signals in {@code .dat} or
 * WFDB's MAT v4 {@code .mat}), and an original CPSC2018 record ({@code .mat} in MATLAB v5 with an {@code ECG} struct,
 * and no header beside it). Unlike the dataset loaders, nothing is cropped, decimated or reordered: the record keeps
 * its own rate, length and lead order, and a model resamples and windows it as {@code Student.diagnose} does. The same
 * checks as the loaders apply (finite samples within {@code ±100 mV}, at least 2 s), so a damaged file fails here with
 * an {@link EcgFormatException} naming the file and field rather than later inside a model.
 */
public final class EcgFiles {
    /** The sampling rate of CPSC2018's MAT files, which do not store it. */
    public static final double CPSC_HZ = 500;

    private EcgFiles() {
    }

    /**
     * Whether {@code file} names a record: a {@code .hea} header, or a {@code .mat} file with no {@code .hea} of the
     * same name beside it (a WFDB record's MAT signal file is read through its header, so it is not a record itself).
     */
    public static boolean isRecord(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".hea")) {
            return true;
        }
        if (name.endsWith(".mat")) {
            String base = file.getFileName().toString();
            base = base.substring(0, base.length() - 4);
            return !Files.exists(file.resolveSibling(base + ".hea"));
        }
        return false;
    }

    /** The records under {@code root} ({@link #isRecord}), in sorted path order, each once. */
    public static List<Path> list(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new java.nio.file.NotDirectoryException(root.toString());
        }
        try (Stream<Path> s = Files.walk(root)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).filter(EcgFiles::isRecord).sorted().toList());
        }
    }

    /**
     * Reads the record {@code file} names, in mV, at its own sampling rate, with its own leads.
     *
     * <p>Labels: a WFDB header's {@code # Dx:} SNOMED CT codes mapped to the CPSC2018 classes
     * ({@link Cpsc2018#LABELS}, as {@link Cinc} maps them); an empty array when the header has no {@code Dx} line and
     * for CPSC MAT files, whose labels live in a separate {@code REFERENCE.csv}.
     *
     * @throws EcgFormatException naming the file and field of anything that cannot be read: an unknown extension, a
     *                            damaged header or signal file, a lead name that is not one of the twelve standard
     *                            leads, a non-finite or implausible sample, or a record shorter than 2 s
     * @throws IOException        if the file cannot be read at all
     */
    public static EcgRecord read(Path file) throws IOException {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".hea")) {
            return readWfdb(file);
        }
        if (lower.endsWith(".mat")) {
            float[][] x = Cpsc2018.readMat(file);
            Signals.requireLength(file, "field ECG.data", x[0].length, x.length, CPSC_HZ);
            return new EcgRecord(name.substring(0, name.length() - 4), x, CPSC_HZ, Lead.STANDARD_12, new float[0]);
        }
        throw new EcgFormatException(file, null, "unknown record file; expected a WFDB header (.hea) or a CPSC2018 "
                + "MATLAB file (.mat)");
    }

    private static EcgRecord readWfdb(Path file) throws IOException {
        WfdbHeader header = WfdbHeader.read(file);
        List<Lead> leads = new ArrayList<>();
        for (WfdbHeader.Signal s : header.signals()) {
            Lead lead;
            try {
                lead = Lead.parse(s.description());
            } catch (IllegalArgumentException e) {
                throw new EcgFormatException(file, "line " + s.line() + ", field description", "'"
                        + s.description() + "' is not a standard lead name; expected one of " + Lead.STANDARD_12, e);
            }
            if (leads.contains(lead)) {
                throw new EcgFormatException(file, "line " + s.line() + ", field description", "lead " + lead
                        + " appears twice");
            }
            leads.add(lead);
        }
        Wfdb.Record r = Wfdb.read(header);
        Signals.requireLength(file, "record line, field number of samples", r.digital()[0].length, leads.size(),
                header.samplingRate());
        float[][] x = r.millivolts();
        Signals.requirePlausible(file, x, leads);
        String dx = header.comment("Dx");
        float[] labels = dx == null ? new float[0] : Cinc.labels(file, dx);
        return new EcgRecord(header.name(), x, header.samplingRate(), leads, labels);
    }
}
