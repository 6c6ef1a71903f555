package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.devdb.mysql.Flavor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private static Instance instance(Flavor flavor) {
        return new Instance("shop", "c0ffee", "devdb-shop", "mysql9", flavor, "9.7", "mysql:9.7", "running",
                Instance.HOST, 33060, "shopdb", "shopper", "s3cret-user", "s3cret-root", null, null);
    }

    @Test
    void the_client_logs_in_as_the_profile_user_on_its_database_with_the_password_in_the_environment() {
        Sessions.Login login = Sessions.login(instance(Flavor.MYSQL), null, false);

        assertEquals(List.of("mysql", "--user=shopper", "--database=shopdb"), login.command());
        assertEquals(Map.of("MYSQL_PWD", "s3cret-user"), login.env());
    }

    @Test
    void root_and_another_database_on_mariadb_use_its_own_client() {
        Sessions.Login login = Sessions.login(instance(Flavor.MARIADB), "mysql", true);

        assertEquals(List.of("mariadb", "--user=root", "--database=mysql"), login.command());
        assertEquals(Map.of("MYSQL_PWD", "s3cret-root"), login.env());
    }

    @Test
    void no_password_appears_in_any_argument() {
        for (boolean root : new boolean[] {false, true}) {
            Sessions.Login login = Sessions.login(instance(Flavor.MYSQL), null, root);
            for (String arg : login.command()) {
                assertFalse(arg.contains("s3cret"), arg);
            }
        }
    }
}
