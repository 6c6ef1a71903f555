package dev.devdb.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestTest {
    private static final List<String> FIELDS = List.of("database", "description", "env", "extends", "flavor", "image",
            "mycnf", "password", "port", "resources", "user", "version");

    @Test
    void one_typo_suggests_the_name() {
        assertEquals(Optional.of("database"), Suggest.closest("databse", FIELDS));
        assertEquals(Optional.of("mycnf"), Suggest.closest("mycnff", FIELDS));
    }

    @Test
    void case_is_ignored_and_the_candidate_spelling_returned() {
        assertEquals(Optional.of("mysql8"), Suggest.closest("MYSQL8", List.of("mariadb11", "mysql8")));
    }

    @Test
    void longer_words_allow_more_edits() {
        assertEquals(Optional.of("description"), Suggest.closest("descriptoin", FIELDS));
        assertEquals(Optional.empty(), Suggest.closest("pwd", FIELDS));
    }

    @Test
    void nothing_close_suggests_nothing() {
        assertEquals(Optional.empty(), Suggest.closest("zzzzzz", FIELDS));
        assertEquals(Optional.empty(), Suggest.closest("port", List.of()));
    }

    @Test
    void first_of_equally_close_candidates_wins() {
        assertEquals(Optional.of("mariadb10"), Suggest.closest("mariadb12", List.of("mariadb10", "mariadb11")));
    }

    @Test
    void distance_counts_insertions_deletions_and_substitutions() {
        assertEquals(3, Suggest.distance("kitten", "sitting"));
        assertEquals(0, Suggest.distance("port", "port"));
        assertEquals(4, Suggest.distance("", "port"));
    }

    @Test
    void swapped_adjacent_letters_are_one_edit() {
        assertEquals(1, Suggest.distance("mycfn", "mycnf"));
        assertEquals(1, Suggest.distance("ab", "ba"));
        assertEquals(2, Suggest.distance("mcyfn", "mycnf"));
        assertEquals(Optional.of("mycnf"), Suggest.closest("mycfn", FIELDS));
        assertEquals(Optional.of("port"), Suggest.closest("prot", FIELDS));
    }
}
