package dev.mvkt.spark;

import java.util.List;

/**
 * Reads array cells of a {@link org.apache.spark.sql.Row} whatever collection Spark hands back (a Scala sequence from
 * a Dataset, a Java array or list from a row built in Java).
 */
final class Values {
    private Values() {
    }

    /** The cell as a Java list, or null. */
    static List<?> list(Object cell) {
        if (cell == null) {
            return null;
        }
        if (cell instanceof List<?> l) {
            return l;
        }
        if (cell instanceof scala.collection.Seq<?> s) {
            return scala.jdk.javaapi.CollectionConverters.asJava(s);
        }
        if (cell instanceof Object[] a) {
            return java.util.Arrays.asList(a);
        }
        if (cell instanceof float[] f) {
            Float[] boxed = new Float[f.length];
            for (int i = 0; i < f.length; i++) {
                boxed[i] = f[i];
            }
            return java.util.Arrays.asList(boxed);
        }
        if (cell instanceof double[] d) {
            return java.util.Arrays.stream(d).boxed().toList();
        }
        throw new IllegalArgumentException("expected an array, got a " + cell.getClass().getName());
    }

    /** A numeric array cell as floats, or null; a null element is refused, naming {@code what}. */
    static float[] floats(Object cell, String what) {
        if (cell instanceof float[] f) {
            return f;
        }
        List<?> l = list(cell);
        if (l == null) {
            return null;
        }
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = l.get(i);
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException(what + ", element " + i + " is " + v + "; expected a number");
            }
            out[i] = n.floatValue();
        }
        return out;
    }
}
