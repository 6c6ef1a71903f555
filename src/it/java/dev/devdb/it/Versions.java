package dev.devdb.it;

import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.ServerVersion;
import java.util.List;
import java.util.stream.Stream;

/**
 * The servers the integration tests run on, one for each test image CI builds. Behaviour that
 * differs by flavour or version runs on {@link #all}, parameterised with
 * {@code @MethodSource("dev.devdb.it.Versions#all")}; behaviour that differs by flavour only (the
 * client's prompt, devdb's own streaming) on {@link #flavours}; the rest runs once, on MySQL 9.7 or
 * MariaDB 10.11.
 */
final class Versions {
    /**
     * One server under test.
     *
     * @param profile the catalogue profile that starts it
     * @param flavor its flavour
     * @param version its version, as the image tag gives it
     */
    record Server(String profile, Flavor flavor, String version) {
        boolean mysql() {
            return flavor == Flavor.MYSQL;
        }

        boolean atLeast(int major, int minor) {
            return ServerVersion.ofTag(version).atLeast(major, minor);
        }
    }

    static final List<Server> SERVERS = List.of(
            new Server("mysql9", Flavor.MYSQL, "9.7"),
            new Server("mariadb105", Flavor.MARIADB, "10.5"),
            new Server("mariadb10", Flavor.MARIADB, "10.11"),
            new Server("mariadb11", Flavor.MARIADB, "11.8"));

    private Versions() {}

    /**
     * The profile names of every server under test; the system property {@code devdb.it.versions}
     * (profile names, comma-separated) narrows them, to run the matrix on fewer images locally.
     */
    static Stream<String> all() {
        String only = System.getProperty("devdb.it.versions", "").strip();
        List<String> chosen = only.isEmpty() ? List.of() : List.of(only.split("\\s*,\\s*"));
        chosen.forEach(Versions::of);
        return SERVERS.stream().map(Server::profile).filter(p -> chosen.isEmpty() || chosen.contains(p));
    }

    /** One server of each flavour: MySQL 9.7 and MariaDB 10.11. */
    static Stream<String> flavours() {
        return Stream.of("mysql9", "mariadb10");
    }

    static Server of(String profile) {
        return SERVERS.stream().filter(s -> s.profile().equals(profile)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no server under test has profile " + profile));
    }
}
