package dev.mvkt.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** PTB-XL's {@code scp_statements.csv}: which codes are diagnostic, form or rhythm, and their classes. */
final class ScpStatements {
    private record Statement(boolean diagnostic, boolean form, boolean rhythm, String diagnosticClass,
            String diagnosticSubclass) {
    }

    private final Map<String, Statement> statements = new HashMap<>();

    private ScpStatements() {
    }

    static ScpStatements read(Path file) throws IOException {
        Csv csv = Csv.read(file);
        csv.require("diagnostic", "form", "rhythm", "diagnostic_class", "diagnostic_subclass");
        ScpStatements s = new ScpStatements();
        for (Csv.Row row : csv.rows()) {
            String code = row.get(0).trim();
            if (code.isEmpty()) {
                throw new EcgFormatException(file, "line " + row.line() + ", field 1 (code)", "empty SCP code");
            }
            s.statements.put(code, new Statement(flag(row, "diagnostic"), flag(row, "form"), flag(row, "rhythm"),
                    row.get("diagnostic_class").trim(), row.get("diagnostic_subclass").trim()));
        }
        return s;
    }

    /** pandas reads these columns as floats; the benchmark selects rows where the value equals 1.0. */
    private static boolean flag(Csv.Row row, String column) throws EcgFormatException {
        String v = row.get(column).trim();
        if (v.isEmpty()) {
            return false;
        }
        try {
            return Double.parseDouble(v) == 1.0;
        } catch (NumberFormatException e) {
            throw row.error(column, "expected 1.0 or empty, found '" + v + "'");
        }
    }

    int size() {
        return statements.size();
    }

    /** The task labels of one record's codes; insertion-ordered, without duplicates. */
    Set<String> labels(PtbXlTask task, Iterable<String> codes) {
        Set<String> out = new LinkedHashSet<>();
        for (String code : codes) {
            Statement st = statements.get(code);
            switch (task) {
                case ALL:
                    out.add(code);
                    break;
                case DIAGNOSTIC:
                    if (st != null && st.diagnostic()) {
                        out.add(code);
                    }
                    break;
                case SUBDIAGNOSTIC:
                    if (st != null && st.diagnostic() && !st.diagnosticSubclass().isEmpty()) {
                        out.add(st.diagnosticSubclass());
                    }
                    break;
                case SUPERDIAGNOSTIC:
                    if (st != null && st.diagnostic() && !st.diagnosticClass().isEmpty()) {
                        out.add(st.diagnosticClass());
                    }
                    break;
                case FORM:
                    if (st != null && st.form()) {
                        out.add(code);
                    }
                    break;
                case RHYTHM:
                    if (st != null && st.rhythm()) {
                        out.add(code);
                    }
                    break;
                default:
                    throw new IllegalStateException(task.name());
            }
        }
        return out;
    }
}
