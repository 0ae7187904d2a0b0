package dev.mvkt.samples.cli;

import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * {@code --backbone} names to backbones. A width of 0 means the zoo's reference configuration; a positive width
 * scales the backbone's main channel count, so that small runs (and tests) stay fast on any architecture.
 * <p>To add an architecture: one {@link #ENTRIES} line with its name and how a width maps onto its builder.
 */
final class BackboneTable {
    private static final Map<String, IntFunction<Backbone>> ENTRIES = new LinkedHashMap<>();

    static {
        ENTRIES.put("cnn_hannun", w -> w == 0 ? Backbones.cnnHannun()
                : Backbones.cnnHannunBuilder().optFilters(w).build());
        ENTRIES.put("resnet1d34", w -> w == 0 ? Backbones.resnet1d34()
                : Backbones.resnet1d34Builder().optWidth(w).build());
        ENTRIES.put("resnet1d_wang", w -> w == 0 ? Backbones.resnet1dWang()
                : Backbones.resnet1dWangBuilder().optWidth(w).build());
        ENTRIES.put("inception1d", w -> w == 0 ? Backbones.inception1d()
                : Backbones.inception1dBuilder().optFilters(w).optBottleneck(w).build());
        ENTRIES.put("xresnet1d101", w -> w == 0 ? Backbones.xresnet1d101()
                : Backbones.xresnet1d101Builder().optStemWidths(w, w, w).optWidths(w, w, w, w).build());
    }

    static final String DEFAULT = "resnet1d_wang";

    private BackboneTable() {
    }

    /** The known names, in the paper's order. */
    static List<String> names() {
        return new ArrayList<>(ENTRIES.keySet());
    }

    /** Checks a name without building anything (ND4J is not touched). */
    static String check(String name) {
        if (!ENTRIES.containsKey(name)) {
            throw new IllegalArgumentException("unknown backbone '" + name + "'; expected one of " + names());
        }
        return name;
    }

    /** Parses a comma-separated list ({@code all} for every known backbone). */
    static List<String> parseList(String text) {
        if (text.trim().equalsIgnoreCase("all")) {
            return names();
        }
        List<String> out = new ArrayList<>();
        for (String n : text.split(",")) {
            String name = check(n.trim());
            if (out.contains(name)) {
                throw new IllegalArgumentException("backbone '" + name + "' is listed twice");
            }
            out.add(name);
        }
        return out;
    }

    static Backbone build(String name, int width) {
        if (width < 0) {
            throw new IllegalArgumentException("--width must be >= 0 (0: the reference configuration), was "
                    + width);
        }
        return ENTRIES.get(check(name)).apply(width);
    }
}
