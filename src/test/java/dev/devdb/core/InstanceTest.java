package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devdb.mysql.Flavor;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InstanceTest {

    private static Instance instance(Flavor flavor, String password) {
        return new Instance("shop", "c0ffee", "devdb-shop", "mysql8", flavor, "8.4", "mysql:8.4", "running",
                Instance.HOST, 49153, "app", "app", password, "rootpw", Instant.EPOCH, null);
    }

    @Test
    void url_carries_user_password_host_port_and_database() {
        assertEquals("mysql://app:s3cret@127.0.0.1:49153/app", instance(Flavor.MYSQL, "s3cret").url());
    }

    @Test
    void mysql_jdbc_url_allows_public_key_retrieval_without_tls() {
        assertEquals("jdbc:mysql://127.0.0.1:49153/app?user=app&password=s3cret&allowPublicKeyRetrieval=true"
                + "&sslMode=DISABLED", instance(Flavor.MYSQL, "s3cret").jdbcUrl());
    }

    @Test
    void mariadb_jdbc_url_uses_the_mariadb_scheme_without_tls() {
        assertEquals("jdbc:mariadb://127.0.0.1:49153/app?user=app&password=s3cret&sslMode=disable",
                instance(Flavor.MARIADB, "s3cret").jdbcUrl());
    }

    @Test
    void special_characters_in_the_password_are_escaped() {
        assertEquals("mysql://app:p%40ss%3Aw%2Frd@127.0.0.1:49153/app", instance(Flavor.MYSQL, "p@ss:w/rd").url());
    }

    @Test
    void space_in_the_password_is_percent_encoded_in_the_url() {
        assertEquals("mysql://app:a%20b@127.0.0.1:49153/app", instance(Flavor.MYSQL, "a b").url());
    }

    @Test
    void plus_and_space_in_the_password_stay_apart_in_the_mysql_jdbc_url() {
        assertEquals("jdbc:mysql://127.0.0.1:49153/app?user=app&password=a%2Bb%20c&allowPublicKeyRetrieval=true"
                + "&sslMode=DISABLED", instance(Flavor.MYSQL, "a+b c").jdbcUrl());
    }

    @Test
    void mariadb_jdbc_url_carries_the_password_verbatim_as_its_driver_decodes_nothing() {
        assertEquals("jdbc:mariadb://127.0.0.1:49153/app?user=app&password=shop! 50%21 +=?/#\\'\"ü&sslMode=disable",
                instance(Flavor.MARIADB, "shop! 50%21 +=?/#\\'\"ü").jdbcUrl());
    }
}
