package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DoctorTest {
    @Test
    void free_space_is_the_available_column_of_df() {
        String df = """
                Filesystem     1024-blocks     Used Available Capacity Mounted on
                overlay          264212084 24742776  81648136      24% /
                """;
        assertEquals(81_648_136L, Doctor.availableKilobytes(df));
        String wrapped = """
                Filesystem 1024-blocks Used Available Capacity Mounted on
                /dev/mapper/a-very-long-volume-name 1000 10 990 1% /
                """;
        assertEquals(990L, Doctor.availableKilobytes(wrapped));
        assertNull(Doctor.availableKilobytes("df: /: No such file or directory\n"));
    }

    @Test
    void the_listener_script_is_valid_sh() throws Exception {
        Process p = new ProcessBuilder("sh", "-n", "-c", Doctor.listenerScript()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        assertFalse(Doctor.listenerScript().contains("'0.0.0.0'"), "a single quote would end the sh string early");
    }
}
