package dev.mvkt.api;

import com.google.common.collect.ImmutableSortedMap;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a trained model came from: configurations, loss terms and weights, seed, data identity and split, and
 * library versions, as flat dotted keys ({@code loss.mkd.weight = 1.0}).
 *
 * <p>Flat string pairs keep the on-disk form trivially stable and diffable across versions.
 */
public final class Provenance {
    private final ImmutableSortedMap<String, String> entries;

    private Provenance(Map<String, String> entries) {
        this.entries = ImmutableSortedMap.copyOf(entries);
    }

    public static Provenance of(Map<String, String> entries) {
        return new Provenance(entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    public SortedMap<String, String> entries() {
        return entries;
    }

    /** The value under {@code key}, or null. */
    public String get(String key) {
        return entries.get(key);
    }

    /** The entries whose key starts with {@code prefix + "."}, with the prefix removed. */
    public Provenance section(String prefix) {
        String p = prefix + ".";
        Map<String, String> sub = new TreeMap<>();
        entries.forEach((k, v) -> {
            if (k.startsWith(p)) {
                sub.put(k.substring(p.length()), v);
            }
        });
        return new Provenance(sub);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Provenance p && entries.equals(p.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        entries.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }

    /** Collects entries; nested maps are flattened into dotted keys. */
    public static final class Builder {
        private final Map<String, String> entries = new TreeMap<>();

        public Builder put(String key, Object value) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("provenance key is blank");
            }
            if (value instanceof Map<?, ?> m) {
                m.forEach((k, v) -> put(key + "." + k, v));
            } else {
                entries.put(key, String.valueOf(value));
            }
            return this;
        }

        public Builder putAll(String prefix, Provenance other) {
            other.entries().forEach((k, v) -> entries.put(prefix + "." + k, v));
            return this;
        }

        public Provenance build() {
            return new Provenance(entries);
        }
    }
}
