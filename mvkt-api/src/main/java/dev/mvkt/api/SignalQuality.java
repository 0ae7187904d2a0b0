package dev.mvkt.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The quality verdict on one recording, made before a model reads it: {@link Verdict#OK}, {@link Verdict#QUESTIONABLE}
 * (a diagnosis is given, but read it with care) or {@link Verdict#UNUSABLE} (by default no diagnosis is given), with
 * the {@link Issue issues} that led to it, each naming its lead. The verdict is the worst issue's, or OK without
 * issues. The rules and their thresholds are in {@code dev.mvkt.core.QualityGate} and {@code docs/deployment.md}.
 */
public final class SignalQuality {

    /** How usable a recording is. Ordered from best to worst. */
    public enum Verdict {
        OK, QUESTIONABLE, UNUSABLE
    }

    /** What is wrong with a lead. */
    public enum Reason {
        /** No activity: a flat line, as from a lead that is off or a signal not in mV. */
        LEAD_OFF,
        /** Runs of identical extreme values: the amplifier or the converter was saturated. */
        CLIPPING,
        /** A peak-to-peak amplitude no heart produces (often a unit error, e.g. µV given as mV). */
        IMPLAUSIBLE_AMPLITUDE,
        /** A baseline far from 0 mV (an unfiltered electrode potential, or a unit error). */
        BASELINE_OFFSET,
        /** Fast baseline movement, as from motion or a loose electrode. */
        BASELINE_WANDER,
        /** Noise above the ECG's band (muscle, mains, a loose contact) that rivals the beats. */
        HIGH_FREQUENCY_NOISE,
        /** Too few seconds to judge a rhythm. */
        TOO_SHORT
    }

    /**
     * One finding of the check.
     *
     * @param reason  what is wrong
     * @param lead    the lead it concerns
     * @param verdict how bad it is: {@link Verdict#QUESTIONABLE} or {@link Verdict#UNUSABLE}
     * @param message a sentence for people, naming the lead, the measured value and the limit
     */
    public record Issue(Reason reason, Lead lead, Verdict verdict, String message) {
        public Issue {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(lead, "lead");
            Objects.requireNonNull(message, "message");
            if (verdict != Verdict.QUESTIONABLE && verdict != Verdict.UNUSABLE) {
                throw new IllegalArgumentException("an issue is QUESTIONABLE or UNUSABLE, was " + verdict);
            }
        }
    }

    private static final SignalQuality NOT_ASSESSED = new SignalQuality(List.of(), false);

    private final List<Issue> issues;
    private final boolean assessed;
    private final Verdict verdict;

    private SignalQuality(List<Issue> issues, boolean assessed) {
        this.issues = List.copyOf(issues);
        this.assessed = assessed;
        Verdict v = Verdict.OK;
        for (Issue i : this.issues) {
            if (i.verdict().compareTo(v) > 0) {
                v = i.verdict();
            }
        }
        this.verdict = v;
    }

    /** The verdict of a check that found {@code issues} (none: OK). */
    public static SignalQuality of(List<Issue> issues) {
        return new SignalQuality(Objects.requireNonNull(issues, "issues"), true);
    }

    /**
     * No check was made (a {@link Diagnosis} built without one): verdict OK, no issues, {@link #assessed()} false.
     */
    public static SignalQuality notAssessed() {
        return NOT_ASSESSED;
    }

    /** The worst issue's verdict; OK when there is none. */
    public Verdict verdict() {
        return verdict;
    }

    /** Every issue found, lead by lead in input order. */
    public List<Issue> issues() {
        return issues;
    }

    /** Whether a check was made at all. */
    public boolean assessed() {
        return assessed;
    }

    public boolean isOk() {
        return verdict == Verdict.OK;
    }

    public boolean isUnusable() {
        return verdict == Verdict.UNUSABLE;
    }

    /** The distinct reasons among the issues. */
    public Set<Reason> reasons() {
        Set<Reason> out = EnumSet.noneOf(Reason.class);
        issues.forEach(i -> out.add(i.reason()));
        return Collections.unmodifiableSet(out);
    }

    /** The issues' messages, one per issue. */
    public List<String> messages() {
        List<String> out = new ArrayList<>();
        issues.forEach(i -> out.add(i.message()));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignalQuality q && q.assessed == assessed && q.issues.equals(issues);
    }

    @Override
    public int hashCode() {
        return Objects.hash(issues, assessed);
    }

    @Override
    public String toString() {
        if (!assessed) {
            return "not assessed";
        }
        return issues.isEmpty() ? "ok" : verdict.name().toLowerCase(java.util.Locale.ROOT) + ": "
                + String.join("; ", messages());
    }
}
