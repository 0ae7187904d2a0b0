package dev.mvkt.datasets;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Split;
import dev.mvkt.api.SplitName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Generators stay byte-for-byte what they were. The v1 digests were computed on the v1 code before generator v2
 * existed (commit 9cd156c), so a result produced on v1 can be reproduced exactly by asking for it; the v2 digests
 * were computed when v2 was frozen.
 */
class SyntheticEcgDigestTest {

    /** SHA-256 over every record's id, labels and float32 samples, in split and index order. */
    static String digest(EcgDataset ds) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (SplitName s : SplitName.values()) {
                Split split = ds.split(s);
                for (int i = 0; i < split.size(); i++) {
                    EcgRecord r = split.record(i);
                    md.update(r.id().getBytes(StandardCharsets.UTF_8));
                    ByteBuffer b = ByteBuffer.allocate(4 * (r.labels().length + r.signal().length * r.samples()));
                    for (float y : r.labels()) {
                        b.putFloat(y);
                    }
                    for (float[] lead : r.signal()) {
                        for (float v : lead) {
                            b.putFloat(v);
                        }
                    }
                    md.update(b.array());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void v1DefaultsAreUnchanged() {
        assertEquals("8929a812eb157f2e8b87ce521e93884f5174329457871a58c2a4a934d1ee87d0", digest(v1().optSizes(30, 10, 10).build()));
    }

    @Test
    void v1OtherSettingsAreUnchanged() {
        assertEquals("201f4826a1fec089fb27e16a0f6d750034f05681a6e053b34a2a8fc160c40e65", digest(v1().optSeed(7).optSamplingRate(250).optDurationSeconds(4)
                .optDifficulty(0.3).optSizes(12, 4, 4).build()));
    }

    @Test
    void v2IsPinnedToo() {
        // Generator v2 was frozen with this digest; a change to v2's records needs a v3.
        assertEquals("eb0d190563f775a44248801eb749bb1819782f7aa7ec549772b3e76dd9542bd9", digest(SyntheticEcg.builder().optSizes(30, 10, 10).build()));
        assertEquals("1dc0d6d7d9faf053078f97c2499a3b37f75db155081a5a247565962c2df2d1ec", digest(SyntheticEcg.builder().optSeed(7).optSamplingRate(250)
                .optDurationSeconds(4).optDifficulty(0.3).optCoOccurrence(0).optSizes(12, 4, 4).build()));
    }

    private static SyntheticEcg.Builder v1() {
        return SyntheticEcg.builder().optVersion(1);
    }
}
