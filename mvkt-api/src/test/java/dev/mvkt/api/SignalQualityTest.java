package dev.mvkt.api;

import dev.mvkt.api.SignalQuality.Issue;
import dev.mvkt.api.SignalQuality.Reason;
import dev.mvkt.api.SignalQuality.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quality verdict's arithmetic and what an abstaining diagnosis looks like. */
class SignalQualityTest {
    private static final LabelSet LABELS = LabelSet.of("NORM", "AF");

    @Test
    void theVerdictIsTheWorstIssues() {
        assertEquals(Verdict.OK, SignalQuality.of(List.of()).verdict());
        Issue noisy = new Issue(Reason.HIGH_FREQUENCY_NOISE, Lead.I, Verdict.QUESTIONABLE, "lead I: noisy");
        Issue off = new Issue(Reason.LEAD_OFF, Lead.II, Verdict.UNUSABLE, "lead II: flat");
        SignalQuality q = SignalQuality.of(List.of(noisy, off));
        assertEquals(Verdict.UNUSABLE, q.verdict());
        assertTrue(q.isUnusable() && q.assessed() && !q.isOk());
        assertEquals(Set.of(Reason.HIGH_FREQUENCY_NOISE, Reason.LEAD_OFF), q.reasons());
        assertEquals("unusable: lead I: noisy; lead II: flat", q.toString());
        assertEquals(Verdict.QUESTIONABLE, SignalQuality.of(List.of(noisy)).verdict());
        assertFalse(SignalQuality.notAssessed().assessed());
        assertEquals(SignalQuality.of(List.of(noisy)), SignalQuality.of(List.of(noisy)));
        assertThrows(IllegalArgumentException.class, () -> new Issue(Reason.CLIPPING, Lead.I, Verdict.OK, "x"));
    }

    @Test
    void anAbstentionHasNoFindingsAndSaysWhy() {
        SignalQuality q = SignalQuality.of(List.of(new Issue(Reason.LEAD_OFF, Lead.I, Verdict.UNUSABLE,
                "lead I: flat")));
        Diagnosis d = Diagnosis.abstention(LABELS, new double[]{0.5, 0.5}, q);
        assertTrue(d.abstained());
        assertEquals(List.of(), d.findings());
        assertTrue(Double.isNaN(d.probability("AF")));
        assertEquals("Diagnosis{abstained, quality unusable: lead I: flat}", d.toString());
        Diagnosis scored = new Diagnosis(LABELS, new double[]{0.2, 0.9}, new double[]{0.5, 0.5});
        assertFalse(scored.abstained());
        assertEquals(List.of("AF"), scored.findings());
        assertFalse(scored.quality().assessed());
        assertEquals("Diagnosis{NORM=0.200, AF=0.900*}", scored.toString());
    }
}
