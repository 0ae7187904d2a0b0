package dev.mvkt.losses;

import dev.mvkt.api.LossContext;
import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A resumed run must continue with the same banks, step counter and NCE normalisers. */
class CltStateTest {

    @Test
    void stateRoundTripReproducesTheNextLoss() throws IOException {
        for (CltForm form : CltForm.values()) {
            Random r = new Random(5);
            LossContext ctx = TestSupport.context(r, 30, 3, 9);
            LossTerm a = Losses.clt(CltLoss.builder().optEmbeddingDim(6).optNegatives(8).optForm(form));
            a.prepare(ctx);
            for (int s = 0; s < 3; s++) {
                a.afterStep(TestSupport.embeddings(TestSupport.gaussian(r, 4, 6, 1), TestSupport.gaussian(r, 4, 6, 1),
                        TestSupport.distinctIndices(r, 4, 30)));
            }
            LossInputs next = TestSupport.embeddings(TestSupport.gaussian(r, 4, 6, 1),
                    TestSupport.gaussian(r, 4, 6, 1), TestSupport.distinctIndices(r, 4, 30));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.writeState(new DataOutputStream(bytes));

            LossTerm b = Losses.clt(CltLoss.builder().optEmbeddingDim(6).optNegatives(8).optForm(form));
            b.prepare(ctx);
            assertNotEquals(a.compute(next).value(), b.compute(next).value(), "fresh banks differ");
            b.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(a.compute(next).value(), b.compute(next).value(), 0.0, form.toString());
        }
    }

    @Test
    void stateOfAnotherShapeIsRefused() throws IOException {
        Random r = new Random(1);
        LossTerm a = Losses.clt(CltLoss.builder().optEmbeddingDim(6).optNegatives(4));
        a.prepare(TestSupport.context(r, 20, 3, 1));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.writeState(new DataOutputStream(bytes));
        LossTerm b = Losses.clt(CltLoss.builder().optEmbeddingDim(6).optNegatives(4));
        b.prepare(TestSupport.context(r, 25, 3, 1));
        var e = assertThrows(IOException.class,
                () -> b.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        assertEquals("memory bank state is 20 x 6, expected 25 x 6", e.getMessage());
    }
}
