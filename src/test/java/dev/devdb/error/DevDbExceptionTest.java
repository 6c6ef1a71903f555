package dev.devdb.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DevDbExceptionTest {

    @Test
    void line_breaks_and_nul_in_a_message_are_escaped_onto_one_line() {
        DevDbException e = new DevDbException(ExitCodes.USAGE, "key 'a\nb\r\nc\0d' is not valid");

        assertEquals("key 'a\\nb\\r\\nc\\0d' is not valid", e.getMessage());
        assertEquals(ExitCodes.USAGE, e.exitCode());
    }

    @Test
    void message_with_a_cause_is_escaped_too() {
        IllegalStateException cause = new IllegalStateException("x");
        DevDbException e = new DevDbException(ExitCodes.FAILURE, "first\nsecond", cause);

        assertEquals("first\\nsecond", e.getMessage());
        assertEquals(cause, e.getCause());
    }
}
