package dev.mvkt.samples.cli;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionTest {
    @Test
    void canonicalTextIgnoresMapOrder() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("width", 4);
        a.put("inner", Map.of("b", 2, "a", List.of(1, Map.of("y", 1, "x", 2))));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("inner", Map.of("a", List.of(1, Map.of("x", 2, "y", 1)), "b", 2));
        b.put("width", 4);
        assertEquals(Session.canonical(a), Session.canonical(b));
        assertEquals("{inner={a=[1, {x=2, y=1}], b=2}, width=4}", Session.canonical(a));
    }
}
