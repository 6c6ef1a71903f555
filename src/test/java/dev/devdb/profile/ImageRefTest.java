package dev.devdb.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devdb.mysql.Flavor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {

    private static Profile profile(Flavor flavor, String version, String image) {
        return new Profile("t", Origin.FILE, "t.yaml", flavor, version, image, "", "app", "app", null, null, Map.of(),
                Map.of(), Resources.NONE, List.of(), List.of());
    }

    @Test
    void registry_prefixes_an_official_image() {
        assertEquals("mirror.example.com/hub/mysql:8.4", ImageRef.withRegistry("mysql:8.4", "mirror.example.com/hub"));
    }

    @Test
    void registry_prefixes_an_image_with_a_namespace() {
        assertEquals("devdb-test/library/mariadb:11.8", ImageRef.withRegistry("library/mariadb:11.8", "devdb-test"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mirror.example.com/hub/", "mirror.example.com/hub//", "  mirror.example.com/hub/ "})
    void trailing_slashes_and_spaces_of_the_registry_are_trimmed(String registry) {
        assertEquals("mirror.example.com/hub/mysql:8.4", ImageRef.withRegistry("mysql:8.4", registry));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ghcr.io/x/mysql:1", "localhost:5000/mysql:1", "localhost/x:1", "registry:5000/a/b:2"})
    void reference_naming_a_registry_host_is_left_alone(String reference) {
        assertEquals(reference, ImageRef.withRegistry(reference, "mirror.example.com/hub"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void no_registry_leaves_the_reference_alone(String registry) {
        assertEquals("mysql:8.4", ImageRef.withRegistry("mysql:8.4", registry));
    }

    @Test
    void profile_image_is_the_flavour_repository_and_version() {
        assertEquals("mariadb:11.8", ImageRef.of(profile(Flavor.MARIADB, "11.8", null), null));
        assertEquals("devdb-test/mysql:9.7", ImageRef.of(profile(Flavor.MYSQL, "9.7", null), "devdb-test"));
    }

    @Test
    void profile_image_override_replaces_the_repository() {
        assertEquals("devdb-test/percona/percona-server:8.4",
                ImageRef.of(profile(Flavor.MYSQL, "8.4", "percona/percona-server"), "devdb-test"));
        assertEquals("ghcr.io/acme/mysql:8.4", ImageRef.of(profile(Flavor.MYSQL, "8.4", "ghcr.io/acme/mysql"),
                "devdb-test"));
    }
}
