package dev.mvkt.api;

import java.util.List;
import java.util.Locale;

/**
 * The twelve standard ECG leads, in the conventional order I, II, III, aVR, aVL, aVF, V1–V6.
 *
 * <p>Files spell lead names inconsistently ({@code aVR}, {@code AVR}, {@code avr}); {@link #parse(String)} accepts all
 * of them so that loaders never have to.
 */
public enum Lead {
    I("I"), II("II"), III("III"), AVR("aVR"), AVL("aVL"), AVF("aVF"),
    V1("V1"), V2("V2"), V3("V3"), V4("V4"), V5("V5"), V6("V6");

    /** The standard 12 leads in conventional order. */
    public static final List<Lead> STANDARD_12 = List.of(values());

    private final String label;

    Lead(String label) {
        this.label = label;
    }

    /** The conventional spelling, e.g. {@code aVR}. */
    public String label() {
        return label;
    }

    /**
     * Parses a lead name case-insensitively ({@code "aVR"}, {@code "AVR"}, {@code "avr"}).
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static Lead parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("lead name is null; expected one of " + STANDARD_12);
        }
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (Lead lead : values()) {
            if (lead.name().equals(n)) {
                return lead;
            }
        }
        throw new IllegalArgumentException("unknown lead '" + name + "'; expected one of " + STANDARD_12
                + " (case-insensitive)");
    }

    @Override
    public String toString() {
        return label;
    }
}
