package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerVersionTest {

    @Test
    void a_full_version_is_exact() {
        ServerVersion v = ServerVersion.ofTag("8.0.13");
        assertEquals(new ServerVersion(8, 0, 13), v);
        assertFalse(v.atLeast(8, 0, 14));
        assertTrue(v.atLeast(8, 0, 13));
    }

    @Test
    void a_release_line_counts_as_its_newest_release() {
        assertTrue(ServerVersion.ofTag("8.0").atLeast(8, 0, 34));
        assertFalse(ServerVersion.ofTag("8.0").atLeast(8, 1));
        assertTrue(ServerVersion.ofTag("8").atLeast(8, 4));
        assertFalse(ServerVersion.ofTag("10").atLeast(11, 0));
    }

    @Test
    void suffixes_are_ignored_and_words_are_the_newest() {
        assertEquals(new ServerVersion(8, 4, 5), ServerVersion.ofTag("8.4.5-oracle"));
        assertTrue(ServerVersion.ofTag("latest").atLeast(99, 0));
        assertTrue(ServerVersion.ofTag("lts").atLeast(11, 4));
    }
}
