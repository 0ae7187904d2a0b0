package dev.mvkt.samples;

import dev.mvkt.api.Evaluation;

import java.util.Locale;
import java.util.Map;

/** Plain-text tables in the paper's layouts. */
final class Tables {
    private Tables() {
    }

    /** Table 2: one row per model; macro AUC, accuracy and F1 in percent. */
    static String table2(Map<String, Evaluation> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "| %-21s | %9s | %8s | %6s |%n", "Model", "macro AUC", "accuracy",
                "F1"));
        sb.append("|-----------------------|-----------|----------|--------|\n");
        rows.forEach((name, e) -> sb.append(String.format(Locale.ROOT, "| %-21s | %9.1f | %8.1f | %6.1f |%n",
                name, 100 * e.macroAuc(), 100 * e.accuracy(), 100 * e.macroF1())));
        return sb.toString();
    }

    /** Tables 4–5: per-class F1 in percent. */
    static String perClassF1(Map<String, Evaluation> rows) {
        Evaluation first = rows.values().iterator().next();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| %-21s |", "F1 per class"));
        for (String c : first.labels().names()) {
            sb.append(String.format(Locale.ROOT, " %8s |", c));
        }
        sb.append('\n');
        rows.forEach((name, e) -> {
            sb.append(String.format(Locale.ROOT, "| %-21s |", name));
            for (int c = 0; c < e.labels().size(); c++) {
                sb.append(String.format(Locale.ROOT, " %8.1f |", 100 * e.f1(c)));
            }
            sb.append('\n');
        });
        return sb.toString();
    }
}
