package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    @Test
    void lines_cut_anywhere_come_out_whole_multibyte_characters_included() {
        String text = "first line\r\nzweite Zeile mit Umlauten äöü\n\nlast without break";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int size = 1; size <= 9; size++) {
            List<String> lines = new ArrayList<>();
            LineSplitter s = new LineSplitter(lines::add);
            for (int i = 0; i < b.length; i += size) {
                s.accept(Arrays.copyOfRange(b, i, Math.min(b.length, i + size)));
            }
            s.finish();
            assertEquals(List.of("first line", "zweite Zeile mit Umlauten äöü", "", "last without break"), lines,
                    "chunks of " + size);
            assertEquals(b.length, s.bytes());
        }
    }
}
