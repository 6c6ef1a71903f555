package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerClientTest {

    @Test
    void batch_rows_are_unescaped_and_null_is_null() {
        assertEquals(Arrays.asList("a\tb", null, "x\ny", "back\\slash", ""),
                ServerClient.row("a\\tb\tNULL\tx\\ny\tback\\\\slash\t"));
        assertEquals(List.of("/var/lib/mysql/h-slow.log"), ServerClient.row("/var/lib/mysql/h-slow.log"));
    }
}
