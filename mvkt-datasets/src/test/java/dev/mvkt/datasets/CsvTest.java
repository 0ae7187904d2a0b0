package dev.mvkt.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvTest {
    @TempDir
    Path tmp;

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() throws IOException {
        Path f = tmp.resolve("a.csv");
        Files.writeString(f, "id,report,codes\r\n1,\"a, b \"\"c\"\"\",\"{'NORM': 100.0, 'SR': 0.0}\"\n"
                + "2,\"two\nlines\",x\n3,,\n");
        Csv csv = Csv.read(f);
        assertEquals(3, csv.rows().size());
        assertEquals("a, b \"c\"", csv.rows().get(0).get("report"));
        assertEquals("{'NORM': 100.0, 'SR': 0.0}", csv.rows().get(0).get("codes"));
        assertEquals("two\nlines", csv.rows().get(1).get("report"));
        assertEquals(5, csv.rows().get(2).line(), "the quoted line break counts");
        assertEquals("", csv.rows().get(2).get("codes"));
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> csv.require("strat_fold"));
        assertTrue(e.getMessage().contains("no column 'strat_fold'"), e.getMessage());
    }

    @Test
    void pythonDictLiteralsParseAndMalformedOnesAreRefused() {
        Map<String, Double> m = PyDict.parse("{'NORM': 100.0, 'LVOLT': 0.0, \"SR\": 0}");
        assertEquals(java.util.List.of("NORM", "LVOLT", "SR"), java.util.List.copyOf(m.keySet()));
        assertEquals(100.0, m.get("NORM"));
        assertTrue(PyDict.parse("{}").isEmpty());
        for (String bad : new String[] {"{'NORM' 100.0}", "{'NORM': 100.0", "['NORM']", "{NORM: 1}",
                "{'A': 1.0,, 'B': 2}", "{'A': x}"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyDict.parse(bad), bad);
            assertTrue(e.getMessage().contains("offset"), e.getMessage());
        }
    }
}
