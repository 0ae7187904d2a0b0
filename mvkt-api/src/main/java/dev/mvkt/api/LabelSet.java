package dev.mvkt.api;

import com.google.common.collect.ImmutableList;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/** The ordered class names of a multi-label task; the position of a name is its output index. */
public final class LabelSet {
    private final ImmutableList<String> names;

    private LabelSet(List<String> names) {
        this.names = ImmutableList.copyOf(names);
    }

    /**
     * @throws IllegalArgumentException if the list is empty or has blank or duplicate names
     */
    public static LabelSet of(List<String> names) {
        Objects.requireNonNull(names, "names");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a label set needs at least one class name");
        }
        var seen = new HashSet<String>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("class name at index " + i + " is blank");
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException("duplicate class name '" + n + "' at index " + i);
            }
        }
        return new LabelSet(names);
    }

    public static LabelSet of(String... names) {
        return of(List.of(names));
    }

    public int size() {
        return names.size();
    }

    public String name(int index) {
        return names.get(index);
    }

    public List<String> names() {
        return names;
    }

    /** @return the index of {@code name}, or -1 */
    public int indexOf(String name) {
        return names.indexOf(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSet other && names.equals(other.names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
