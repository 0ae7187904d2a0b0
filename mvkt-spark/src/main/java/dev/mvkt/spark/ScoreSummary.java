package dev.mvkt.spark;

import java.util.List;

/**
 * What a scoring run did: how many records came in, how many were scored, how many failed, and examples of why.
 *
 * @param records  rows in (always equal to rows out)
 * @param scored   rows with probabilities
 * @param failed   rows with an error instead (unreadable file, missing lead, too short)
 * @param examples up to {@link MvktSpark#MAX_EXAMPLES} failed rows' {@code id: error}, in id order; the output table
 *                 holds every one
 */
public record ScoreSummary(long records, long scored, long failed, List<String> examples) {
    public ScoreSummary {
        examples = List.copyOf(examples);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(records).append(" records: ").append(scored).append(" scored, ").append(failed).append(" failed");
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
