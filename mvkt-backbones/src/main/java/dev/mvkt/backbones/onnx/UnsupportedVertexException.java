package dev.mvkt.backbones.onnx;

/**
 * A vertex of the network that the ONNX exporter cannot translate (a layer, vertex, activation, layout or padding
 * mode outside what the zoo's backbones use). It names the vertex and says what about it is not exported.
 */
public final class UnsupportedVertexException extends IllegalArgumentException {
    private final String vertex;

    UnsupportedVertexException(String vertex, String what) {
        super("cannot export vertex '" + vertex + "' to ONNX: " + what);
        this.vertex = vertex;
    }

    /** The name of the vertex in the DL4J graph. */
    public String vertex() {
        return vertex;
    }
}
