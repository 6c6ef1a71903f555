package dev.devdb.profile;

import static dev.devdb.profile.Profiles.parse;
import static dev.devdb.profile.Profiles.profile;
import static dev.devdb.profile.Profiles.profileError;
import static dev.devdb.profile.Profiles.where;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The profile fields cdc and replicas. */
class ProfileTopologyTest {
    private static final String MYSQL = "flavor: mysql\nversion: \"8.4\"\n";

    @Test
    void cdc_and_replicas_default_to_a_plain_standalone_server() {
        Profile p = profile(MYSQL);
        assertFalse(p.cdc());
        assertEquals(0, p.replicas());
    }

    @Test
    void cdc_and_replicas_are_read() {
        Profile p = profile(MYSQL + "cdc: true\nreplicas: 2\n");
        assertTrue(p.cdc());
        assertEquals(2, p.replicas());
    }

    @Test
    void a_child_inherits_cdc_and_may_turn_it_off() {
        ProfileDocument parent = parse(MYSQL + "cdc: true\nreplicas: 1\n");
        ProfileDocument child = parse("replicas: 3\n").mergeOnto(parent);
        Profile p = ProfileCatalog.validate(new ProfileCatalog.Entry("t", Origin.FILE, "t.yaml"), child, List.of());
        assertTrue(p.cdc());
        assertEquals(3, p.replicas());

        ProfileDocument off = parse("cdc: false\n").mergeOnto(parent);
        assertFalse(ProfileCatalog.validate(new ProfileCatalog.Entry("t", Origin.FILE, "t.yaml"), off, List.of())
                .cdc());
    }

    @Test
    void cdc_must_be_a_boolean() {
        String message = profileError(() -> profile(MYSQL + "cdc: maybe\n"));
        assertTrue(message.contains("field 'cdc' must be true or false"), message);
    }

    @Test
    void replicas_are_bounded() {
        assertEquals(where() + "field 'replicas' must be between 0 and 9, not 10",
                profileError(() -> profile(MYSQL + "replicas: 10\n")));
    }

    @Test
    void the_application_user_cannot_take_the_connectors_name() {
        assertEquals(where() + "field 'user' cannot be 'cdc' with cdc: true; that name is the connector's",
                profileError(() -> profile(MYSQL + "cdc: true\nuser: cdc\n")));
    }
}
