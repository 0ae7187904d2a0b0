package dev.mvkt.spark;

import java.util.List;

/**
 * What a scoring run did: how many records came in, how many were scored, abstained on or failed, and examples of
 * why records failed.
 *
 * @param records   rows in (always equal to rows out); {@code scored + abstained + failed}
 * @param scored    rows with probabilities (questionable recordings included: see their quality column)
 * @param abstained rows the quality policy left unscored (by default: unusable recordings such as a lead that is
 *                  off, a flat or noise-only signal, under 2 s); their quality column says why
 * @param failed    rows with an error instead (unreadable file, missing lead, a NaN sample, a rate out of range)
 * @param examples up to {@link MvktSpark#MAX_EXAMPLES} failed rows' {@code id: error}, in id order; the output table
 *                 holds every one
 */
public record ScoreSummary(long records, long scored, long abstained, long failed, List<String> examples) {
    public ScoreSummary {
        examples = List.copyOf(examples);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(records).append(" records: ").append(scored).append(" scored, ").append(abstained)
                .append(" abstained (signal quality), ").append(failed).append(" failed");
        for (String e : examples) {
            sb.append(System.lineSeparator()).append("  ").append(e);
        }
        if (failed > examples.size()) {
            sb.append(System.lineSeparator()).append("  ... and ").append(failed - examples.size())
                    .append(" more (rows whose error column is set)");
        }
        return sb.toString();
    }
}
