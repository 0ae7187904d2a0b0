package dev.mvkt.datasets;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EcgDatasetsTest {
    private final EcgDataset base = SyntheticEcg.builder().optSizes(4, 2, 2).build();

    @Test
    void aLeadViewSharesSamplesAndKeepsLabels() {
        EcgDataset view = EcgDatasets.leads(base, Lead.V2, Lead.I);
        assertEquals(List.of(Lead.V2, Lead.I), view.train().leads());
        assertEquals(base.labels(), view.labels());
        assertEquals(base.test().size(), view.test().size());
        EcgRecord full = base.train().record(1);
        EcgRecord r = view.train().record(1);
        assertSame(full.lead(Lead.I), r.lead(Lead.I), "rows are shared, not copied");
        assertSame(full.lead(Lead.V2), r.signal()[0]);
        assertSame(full.labels(), r.labels());
        assertTrue(view.identity().endsWith("[leads [V2, I]]"), view.identity());
    }

    @Test
    void leadsByNameParseCaseInsensitivelyAndBadViewsAreRefused() {
        EcgDataset avr = EcgDatasets.leads(base, "AVR");
        assertEquals(List.of(Lead.AVR), avr.val().leads());
        assertEquals(1, avr.val().record(0).signal().length);
        EcgDataset single = EcgDatasets.leads(EcgDatasets.leads(base, Lead.I, Lead.II), Lead.II);
        assertSame(base.val().record(1).lead(Lead.II), single.val().record(1).lead(Lead.II));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> EcgDatasets.leads(EcgDatasets.leads(base, Lead.I), Lead.V1));
        assertTrue(missing.getMessage().contains("lead V1 is not in this dataset"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EcgDatasets.leads(base, Lead.I, Lead.I));
        assertThrows(IllegalArgumentException.class, () -> EcgDatasets.leads(base, "aVX"));
    }
}
