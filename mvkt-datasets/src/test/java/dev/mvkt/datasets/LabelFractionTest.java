package dev.mvkt.datasets;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelFractionTest {
    private static final SyntheticEcg DATA = SyntheticEcg.builder().optSizes(160, 6, 6).optDurationSeconds(2)
            .optUnlabelledPool(24).build();

    private static final float[] NONE = new float[SyntheticEcg.LABELS.size()];

    @Test
    void labelFractionKeepsTheStratifiedSubsetAndSharesSignals() {
        EcgDataset quarter = EcgDatasets.labelFraction(DATA, 0.25, 4);
        int[] rows = EcgDatasets.stratifiedSubset(DATA.train().labelMatrix(), 0.25, 4);
        Split train = quarter.train();
        assertEquals(40, train.size());
        assertEquals(40, train.labelledCount());
        for (int j = 0; j < rows.length; j++) {
            EcgRecord r = train.record(j);
            EcgRecord base = DATA.train().record(rows[j]);
            assertEquals(base.id(), r.id());
            assertSame(base.signal(), r.signal(), "signals are wrapped, not copied");
            assertArrayEquals(base.labels(), train.labels(j));
            assertEquals(DATA.train().firstLabel(rows[j]), train.firstLabel(j));
            assertTrue(train.isLabelled(j));
        }
        assertSame(DATA.val(), quarter.val());
        assertSame(DATA.test(), quarter.test());
        assertEquals(DATA.labels(), quarter.labels());
        assertTrue(quarter.identity().startsWith(DATA.identity()), quarter.identity());
        assertTrue(quarter.identity().contains("0.25") && quarter.identity().contains("seed=4"), quarter.identity());
        assertNotEquals(quarter.identity(), EcgDatasets.labelFraction(DATA, 0.25, 5).identity());
        assertThrows(IndexOutOfBoundsException.class, () -> train.record(40));
    }

    @Test
    void fractionOneIsTheWholeTrainSplit() {
        EcgDataset all = EcgDatasets.labelFraction(DATA, 1, 0);
        assertEquals(DATA.train().size(), all.train().size());
        for (int i = 0; i < all.train().size(); i++) {
            assertSame(DATA.train().record(i).signal(), all.train().record(i).signal());
            assertArrayEquals(DATA.train().labels(i), all.train().labels(i));
        }
        assertTrue(all.identity().contains("1.0"), all.identity());
    }

    @Test
    void hideLabelsKeepsOrderAndSignalsAndLabelsTheSameRecordsAsLabelFraction() {
        for (double f : new double[] {0.125, 0.5}) {
            EcgDataset hidden = EcgDatasets.hideLabels(DATA, f, 2);
            EcgDataset fraction = EcgDatasets.labelFraction(DATA, f, 2);
            Split train = hidden.train();
            assertEquals(DATA.train().size(), train.size());
            assertEquals(fraction.train().size(), train.labelledCount());
            Set<String> kept = new HashSet<>();
            for (int j = 0; j < fraction.train().size(); j++) {
                kept.add(fraction.train().record(j).id());
            }
            for (int i = 0; i < train.size(); i++) {
                EcgRecord base = DATA.train().record(i);
                EcgRecord r = train.record(i);
                assertEquals(base.id(), r.id(), "order kept");
                assertSame(base.signal(), r.signal(), "signals shared");
                boolean labelled = kept.contains(base.id());
                assertEquals(labelled, train.isLabelled(i), base.id());
                if (labelled) {
                    assertArrayEquals(base.labels(), train.labels(i));
                    assertArrayEquals(base.labels(), r.labels());
                    assertEquals(DATA.train().firstLabel(i), train.firstLabel(i));
                } else {
                    assertArrayEquals(NONE, train.labels(i));
                    assertArrayEquals(NONE, r.labels());
                    assertArrayEquals(NONE, train.labelMatrix()[i]);
                    assertEquals(-1, train.firstLabel(i));
                }
            }
            assertSame(DATA.val(), hidden.val());
            assertSame(DATA.test(), hidden.test());
            assertNotEquals(fraction.identity(), hidden.identity());
            assertNotEquals(DATA.identity(), hidden.identity());
            assertTrue(hidden.identity().contains(String.valueOf(f)), hidden.identity());
        }
        assertEquals(DATA.train().size(), EcgDatasets.hideLabels(DATA, 1, 0).train().labelledCount());
    }

    @Test
    void viewsOfViewsKeepTheMaskAndFractionsTakeOnlyLabelledRecords() {
        EcgDataset hidden = EcgDatasets.hideLabels(DATA, 0.5, 1);
        EcgDataset lead = EcgDatasets.leads(hidden, Lead.I);
        for (int i = 0; i < DATA.train().size(); i++) {
            assertEquals(hidden.train().isLabelled(i), lead.train().isLabelled(i));
            assertEquals(hidden.train().firstLabel(i), lead.train().firstLabel(i));
        }
        EcgDataset half = EcgDatasets.labelFraction(hidden, 0.5, 1);
        assertEquals(40, half.train().size(), "half of the 80 labelled records");
        assertEquals(40, half.train().labelledCount());
        EcgDataset halfHidden = EcgDatasets.hideLabels(hidden, 0.5, 1);
        assertEquals(160, halfHidden.train().size());
        assertEquals(40, halfHidden.train().labelledCount());
    }

    @Test
    void badFractionsAreNamed() {
        for (double f : new double[] {0, 1.5, Double.NaN}) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> EcgDatasets.labelFraction(DATA, f, 0))
                    .getMessage().contains(String.valueOf(f)));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> EcgDatasets.hideLabels(DATA, f, 0))
                    .getMessage().contains(String.valueOf(f)));
        }
        String m = assertThrows(IllegalArgumentException.class, () -> EcgDatasets.labelFraction(DATA, 0.001, 0))
                .getMessage();
        assertTrue(m.contains("160 records") && m.contains("0.001"), m);
    }

    @Test
    void unlabelledJoinsSplitsOfAnyLabelSetWithoutTheirLabels() {
        Split train = DATA.train();
        Split pool = DATA.unlabelledPool();
        Split other = EcgDatasets.leads(DATA, Lead.I).train();
        Split joined = EcgDatasets.unlabelled(train, pool);
        assertEquals(train.size() + pool.size(), joined.size());
        assertEquals(0, joined.labelledCount());
        assertSame(train.record(3).signal(), joined.record(3).signal());
        assertSame(pool.record(2).signal(), joined.record(train.size() + 2).signal());
        assertArrayEquals(NONE, joined.labels(0));
        assertEquals(-1, joined.firstLabel(0));
        assertEquals(0, EcgDatasets.unlabelled(train).labelledCount());
        var e = assertThrows(IllegalArgumentException.class, () -> EcgDatasets.unlabelled(train, other));
        assertTrue(e.getMessage().contains("split 1 has leads [I]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, EcgDatasets::unlabelled);
    }

    @Test
    void withUnlabelledAppendsThePoolUnlabelled() {
        Split pool = DATA.unlabelledPool();
        EcgDataset more = EcgDatasets.withUnlabelled(DATA, pool, DATA.unlabelledPoolIdentity());
        Split train = more.train();
        assertEquals(160 + 24, train.size());
        assertEquals(160, train.labelledCount());
        for (int i = 0; i < train.size(); i++) {
            boolean fromTrain = i < 160;
            assertEquals(fromTrain, train.isLabelled(i), "record " + i);
            EcgRecord r = train.record(i);
            EcgRecord source = fromTrain ? DATA.train().record(i) : pool.record(i - 160);
            assertSame(source.signal(), r.signal());
            assertEquals(source.id(), r.id());
            if (fromTrain) {
                assertArrayEquals(source.labels(), train.labels(i));
            } else {
                assertArrayEquals(NONE, train.labels(i));
                assertEquals(-1, train.firstLabel(i));
            }
        }
        assertSame(DATA.val(), more.val());
        assertTrue(more.identity().contains(DATA.unlabelledPoolIdentity()) && more.identity().contains("24"),
                more.identity());
        assertEquals(DATA.train().labels(), train.labels());
        // Hidden labels and a pool together: the mask of both.
        EcgDataset both = EcgDatasets.withUnlabelled(EcgDatasets.hideLabels(DATA, 0.25, 0), pool, "pool");
        assertEquals(40, both.train().labelledCount());
        assertEquals(184, both.train().size());
    }

    @Test
    void aPoolWithOtherLabelsIsAcceptedAndItsLabelsAreNeverRead() {
        EcgDataset other = EcgDatasets.labelFraction(DATA, 1, 0);
        Split relabelled = new Split() {   // a pool whose label set differs, and whose labels must not be read
            @Override
            public int size() {
                return 3;
            }

            @Override
            public EcgRecord record(int index) {
                EcgRecord r = DATA.unlabelledPool().record(index);
                return new EcgRecord(r.id(), r.signal(), r.samplingRate(), r.leads(), new float[] {1, 1});
            }

            @Override
            public float[] labels(int index) {
                throw new AssertionError("the pool's labels were read");
            }

            @Override
            public java.util.List<Lead> leads() {
                return Lead.STANDARD_12;
            }

            @Override
            public double samplingRate() {
                return DATA.train().samplingRate();
            }

            @Override
            public int length() {
                return DATA.train().length();
            }

            @Override
            public dev.mvkt.api.LabelSet labels() {
                return dev.mvkt.api.LabelSet.of("X", "Y");
            }
        };
        Split train = EcgDatasets.withUnlabelled(other, relabelled, "two-class pool").train();
        assertArrayEquals(NONE, train.labels(161));
        assertArrayEquals(NONE, train.record(162).labels());
        assertFalse(train.isLabelled(160));
    }

    @Test
    void mismatchedPoolsAreRefusedNamingWhatDiffers() {
        Split pool = DATA.unlabelledPool();
        String leads = assertThrows(IllegalArgumentException.class, () -> EcgDatasets.withUnlabelled(DATA,
                EcgDatasets.leads(DATA, Lead.I).train(), "lead I")).getMessage();
        assertTrue(leads.contains("leads [I]") && leads.contains("lead I"), leads);
        String order = assertThrows(IllegalArgumentException.class, () -> EcgDatasets.withUnlabelled(
                EcgDatasets.leads(DATA, Lead.I, Lead.II), EcgDatasets.leads(DATA, Lead.II, Lead.I).train(), "x"))
                .getMessage();
        assertTrue(order.contains("[II, I]"), order);
        SyntheticEcg slow = SyntheticEcg.builder().optSizes(1, 1, 1).optSamplingRate(50).optDurationSeconds(4)
                .build();
        String rate = assertThrows(IllegalArgumentException.class,
                () -> EcgDatasets.withUnlabelled(DATA, slow.train(), "50 Hz")).getMessage();
        assertTrue(rate.contains("sampling rate 50.0 Hz"), rate);
        SyntheticEcg longer = SyntheticEcg.builder().optSizes(1, 1, 1).optDurationSeconds(3).build();
        String length = assertThrows(IllegalArgumentException.class,
                () -> EcgDatasets.withUnlabelled(DATA, longer.train(), "3 s")).getMessage();
        assertTrue(length.contains("length 300"), length);
        assertEquals(24, pool.size());
        assertTrue(Arrays.equals(NONE, pool.labels(0)));
    }
}
