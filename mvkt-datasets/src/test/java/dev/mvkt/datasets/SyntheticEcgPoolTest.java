package dev.mvkt.datasets;

import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import dev.mvkt.api.SplitName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticEcgPoolTest {
    private static final float[] NONE = new float[SyntheticEcg.LABELS.size()];

    private static SyntheticEcg.Builder small() {
        return SyntheticEcg.builder().optSizes(12, 5, 5).optDurationSeconds(3);
    }

    @Test
    void thePoolIsUnlabelledAndShapedLikeTheSplits() {
        SyntheticEcg data = small().optUnlabelledPool(30).build();
        Split pool = data.unlabelledPool();
        assertSame(pool, data.unlabelledPool(), "generated once");
        assertEquals(30, pool.size());
        assertEquals(0, pool.labelledCount());
        assertEquals(Lead.STANDARD_12, pool.leads());
        assertEquals(data.train().samplingRate(), pool.samplingRate());
        assertEquals(data.train().length(), pool.length());
        assertEquals(SyntheticEcg.LABELS, pool.labels());
        for (int i = 0; i < pool.size(); i++) {
            assertFalse(pool.isLabelled(i));
            assertArrayEquals(NONE, pool.labels(i));
            assertArrayEquals(NONE, pool.record(i).labels());
            assertEquals(-1, pool.firstLabel(i));
            assertEquals(300, pool.record(i).samples());
        }
        // Same distribution: findings were drawn (the signals differ as the splits' do), only the labels are absent.
        long withFindings = java.util.stream.IntStream.range(0, 200).filter(i -> SyntheticEcg.params(
                SyntheticEcg.VERSION, 0, SyntheticEcg.UNLABELLED_POOL_STREAM, i, SyntheticEcg.DEFAULT_DIFFICULTY,
                SyntheticEcg.DEFAULT_CO_OCCURRENCE).any()).count();
        assertTrue(withFindings > 80 && withFindings < 160, withFindings + " of 200 pool records have a finding");
    }

    @Test
    void thePoolIsDeterministicSeededAndDistinctFromEverySplit() {
        SyntheticEcg a = small().optUnlabelledPool(10).build();
        SyntheticEcg b = small().optUnlabelledPool(20).build();
        SyntheticEcg otherSeed = small().optSeed(1).optUnlabelledPool(10).build();
        for (int i = 0; i < 10; i++) {
            EcgRecord r = a.unlabelledPool().record(i);
            assertEquals("unlabelled-" + i, r.id());
            for (int l = 0; l < 12; l++) {
                assertArrayEquals(r.signal()[l], b.unlabelledPool().record(i).signal()[l],
                        "pool record " + i + " depends on its index, not the pool size");
            }
            assertFalse(Arrays.equals(r.signal()[1], otherSeed.unlabelledPool().record(i).signal()[1]));
            for (SplitName s : SplitName.values()) {
                for (int j = 0; j < a.split(s).size(); j++) {
                    assertFalse(Arrays.equals(r.signal()[1], a.split(s).record(j).signal()[1]),
                            "pool record " + i + " equals " + s + " record " + j);
                }
            }
        }
    }

    @Test
    void theSplitsAndTheIdentityDoNotChangeWithAPool() {
        SyntheticEcg without = small().build();
        SyntheticEcg with = small().optUnlabelledPool(8).build();
        for (SplitName s : SplitName.values()) {
            for (int i = 0; i < without.split(s).size(); i++) {
                EcgRecord a = without.split(s).record(i);
                EcgRecord b = with.split(s).record(i);
                assertEquals(a.id(), b.id());
                assertArrayEquals(a.labels(), b.labels());
                for (int l = 0; l < 12; l++) {
                    assertArrayEquals(a.signal()[l], b.signal()[l], s + " record " + i + " lead " + l);
                }
                assertTrue(with.split(s).isLabelled(i));
            }
        }
        assertEquals(without.identity(), with.identity());
        assertEquals("synthetic-ecg v2 (seed=0, fs=100.0, seconds=3.0, sizes=12/5/5, difficulty=0.8, "
                + "co-occurrence=0.3)", with.identity(), "the identity string caches and earlier runs depend on");
        assertEquals("synthetic-ecg v2 unlabelled pool (seed=0, size=8, fs=100.0, seconds=3.0, difficulty=0.8, "
                + "co-occurrence=0.3)", with.unlabelledPoolIdentity());
        assertNotEquals(with.unlabelledPoolIdentity(), small().optUnlabelledPool(9).build().unlabelledPoolIdentity());
        assertEquals("synthetic-ecg v1 unlabelled pool (seed=0, size=2, fs=100.0, seconds=3.0, difficulty=0.8)",
                small().optVersion(1).optUnlabelledPool(2).build().unlabelledPoolIdentity());
    }

    @Test
    void noPoolIsAClearStateErrorAndANegativeSizeIsRefused() {
        SyntheticEcg data = small().build();
        String m = assertThrows(IllegalStateException.class, data::unlabelledPool).getMessage();
        assertTrue(m.contains("optUnlabelledPool"), m);
        assertThrows(IllegalStateException.class, data::unlabelledPoolIdentity);
        String neg = assertThrows(IllegalArgumentException.class, () -> small().optUnlabelledPool(-1).build())
                .getMessage();
        assertTrue(neg.contains("unlabelled pool size") && neg.contains("-1"), neg);
        String big = assertThrows(IllegalArgumentException.class,
                () -> small().optUnlabelledPool(1_000_000).optSamplingRate(500).build()).getMessage();
        assertTrue(big.contains("MiB"), big);
    }
}
