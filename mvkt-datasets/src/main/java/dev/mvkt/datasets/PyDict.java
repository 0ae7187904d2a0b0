package dev.mvkt.datasets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the Python dict literal of PTB-XL's {@code scp_codes} column, e.g. {@code {'NORM': 100.0, 'SR': 0.0}}:
 * string keys in single or double quotes, numeric values. Anything else is refused, naming the offset, because a
 * silently mis-read label set would only show up as a worse AUC.
 */
final class PyDict {
    private final String s;
    private int pos;

    private PyDict(String s) {
        this.s = s;
    }

    /** @throws IllegalArgumentException naming the character offset and what was expected */
    static Map<String, Double> parse(String literal) {
        PyDict p = new PyDict(literal);
        return p.dict();
    }

    private Map<String, Double> dict() {
        Map<String, Double> out = new LinkedHashMap<>();
        skip();
        expect('{');
        skip();
        if (peek() == '}') {
            pos++;
            end();
            return out;
        }
        while (true) {
            skip();
            String key = string();
            skip();
            expect(':');
            skip();
            double value = number();
            if (out.put(key, value) != null) {
                throw fail("duplicate key '" + key + "'");
            }
            skip();
            char c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                pos--;
                throw fail("expected ',' or '}'");
            }
            skip();
            if (peek() == '}') {
                pos++;
                break;
            }
        }
        end();
        return out;
    }

    private void end() {
        skip();
        if (pos != s.length()) {
            throw fail("unexpected text after '}'");
        }
    }

    private String string() {
        char q = next();
        if (q != '\'' && q != '"') {
            pos--;
            throw fail("expected a quoted key");
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw fail("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == q) {
                return sb.toString();
            }
            if (c == '\\' && pos < s.length()) {
                c = s.charAt(pos++);
            }
            sb.append(c);
        }
    }

    private double number() {
        int start = pos;
        while (pos < s.length() && "+-.0123456789eE".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
        if (start == pos) {
            throw fail("expected a number");
        }
        try {
            return Double.parseDouble(s.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw fail("malformed number '" + s.substring(start, Math.min(s.length(), start + 20)) + "'");
        }
    }

    private void skip() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= s.length()) {
            throw fail("unexpected end");
        }
        return s.charAt(pos++);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw fail("expected '" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException fail(String what) {
        return new IllegalArgumentException(what + " at offset " + pos + " of " + s
                + " (expected a Python dict literal like {'NORM': 100.0})");
    }
}
