package dev.mvkt.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Length-prefixed binary blocks for checkpoints. */
final class Checkpoints {
    private Checkpoints() {
    }

    static void writeArray(DataOutputStream out, INDArray a) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Nd4j.write(a, new DataOutputStream(b));
        writeBytes(out, b.toByteArray());
    }

    static INDArray readArray(DataInputStream in) throws IOException {
        return Nd4j.read(new DataInputStream(new ByteArrayInputStream(readBytes(in))));
    }

    static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative block length " + n);
        }
        return in.readNBytes(n);
    }
}
