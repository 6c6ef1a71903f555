package dev.devdb.profile;

import static dev.devdb.profile.Profiles.profileError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.mysql.Flavor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class ProfileCatalogTest {
    /** The catalogue's source files, relative to the Maven basedir. */
    private static final Path PROFILES_DIR = Path.of("profiles");
    private static final String KNOWN = "mariadb10, mariadb105, mariadb11, mysql57, mysql8, mysql80, mysql9";

    @TempDir
    Path work;

    @TempDir
    Path user;

    private ProfileCatalog catalog() {
        return new ProfileCatalog(work, user);
    }

    private Path project(String name, String yaml) throws IOException {
        Path dir = Files.createDirectories(work.resolve("profiles"));
        return Files.writeString(dir.resolve(name + ".yaml"), yaml);
    }

    private Path user(String name, String yaml) throws IOException {
        return Files.writeString(Files.createDirectories(user).resolve(name + ".yaml"), yaml);
    }

    // ---- the built-in catalogue ----

    @ParameterizedTest
    @FieldSource("dev.devdb.profile.ProfileCatalog#BUILT_IN")
    void every_built_in_profile_resolves(String name) {
        Profile p = catalog().resolve(name);

        assertEquals(name, p.name());
        assertEquals(Origin.BUILT_IN, p.origin());
        assertEquals("built-in:" + name, p.location());
        assertEquals(name.startsWith("mariadb") ? Flavor.MARIADB : Flavor.MYSQL, p.flavor());
        assertTrue(p.version().matches("\\d+\\.\\d+"), p::toString);
        assertTrue(!p.description().isBlank(), p::toString);
        assertEquals(List.of(), p.extendsChain());
    }

    @ParameterizedTest
    @FieldSource("dev.devdb.profile.ProfileCatalog#BUILT_IN")
    void packaged_built_in_is_the_file_in_the_profiles_directory(String name) throws IOException {
        try (InputStream in = ProfileCatalog.class.getResourceAsStream("/profiles/" + name + ".yaml")) {
            assertNotNull(in, "not on the class path: /profiles/" + name + ".yaml");
            assertEquals(Files.readString(PROFILES_DIR.resolve(name + ".yaml")),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void profiles_directory_and_built_in_list_name_the_same_profiles() throws IOException {
        Set<String> files;
        try (Stream<Path> list = Files.list(PROFILES_DIR)) {
            files = list.map(f -> f.getFileName().toString())
                    .map(f -> f.replaceFirst("\\.ya?ml$", ""))
                    .collect(Collectors.toSet());
        }

        assertEquals(files, Set.copyOf(ProfileCatalog.BUILT_IN));
        assertEquals(ProfileCatalog.BUILT_IN.size(), Set.copyOf(ProfileCatalog.BUILT_IN).size(), "duplicates");
        assertTrue(ProfileCatalog.BUILT_IN.contains(ProfileCatalog.DEFAULT_PROFILE));
    }

    // ---- lookup ----

    @Test
    void project_profile_shadows_user_profile_which_shadows_built_in() throws IOException {
        Path inProject = project("mysql8", "flavor: mysql\nversion: \"8.4.1\"\n");
        Path inUser = user("mysql8", "flavor: mysql\nversion: \"8.4.2\"\n");

        Profile fromProject = catalog().resolve("mysql8");
        Files.delete(inProject);
        Profile fromUser = catalog().resolve("mysql8");
        Files.delete(inUser);
        Profile builtIn = catalog().resolve("mysql8");

        assertEquals(List.of(Origin.PROJECT, Origin.USER, Origin.BUILT_IN),
                List.of(fromProject.origin(), fromUser.origin(), builtIn.origin()));
        assertEquals(List.of("8.4.1", "8.4.2"), List.of(fromProject.version(), fromUser.version()));
        assertEquals(inProject.toString(), fromProject.location());
        assertEquals(inUser.toString(), fromUser.location());
    }

    @Test
    void yml_extension_is_found_too() throws IOException {
        Files.createDirectories(work.resolve("profiles"));
        Files.writeString(work.resolve("profiles/shop.yml"), "flavor: mariadb\nversion: \"11.8\"\n");

        assertEquals(Flavor.MARIADB, catalog().resolve("shop").flavor());
    }

    @Test
    void path_ending_in_yaml_resolves_that_file() throws IOException {
        project("shop", "flavor: mysql\nversion: \"8.0\"\n");
        Path file = Files.createDirectories(work.resolve("ci")).resolve("shop.yaml");
        Files.writeString(file, "flavor: mariadb\nversion: \"10.11\"\n");

        Profile p = catalog().resolve("ci/shop.yaml");

        assertEquals("shop", p.name());
        assertEquals(Origin.FILE, p.origin());
        assertEquals(file.toString(), p.location());
        assertEquals(Flavor.MARIADB, p.flavor());
    }

    @Test
    void missing_profile_file_is_a_profile_error() {
        assertEquals("profile file ci/none.yaml does not exist", profileError(() -> catalog().resolve("ci/none.yaml")));
    }

    @Test
    void unknown_profile_lists_known_ones_and_suggests_the_closest() throws IOException {
        project("shop", "flavor: mysql\nversion: \"8.4\"\n");

        String message = profileError(() -> catalog().resolve("maridb11"));

        assertEquals("unknown profile 'maridb11'; did you mean 'mariadb11'? Known profiles: " + KNOWN + ", shop",
                message);
    }

    @Test
    void unknown_profile_far_from_every_name_only_lists_them() {
        assertEquals("unknown profile 'postgres'; known profiles: " + KNOWN,
                profileError(() -> catalog().resolve("postgres")));
    }

    @Test
    void name_that_is_neither_a_name_nor_a_path_is_refused() {
        assertEquals("'../secrets' is not a profile name or a path to a .yaml file",
                profileError(() -> catalog().resolve("../secrets")));
    }

    @Test
    void list_marks_profiles_hidden_by_an_earlier_level_as_shadowed() throws IOException {
        project("mysql9", "extends: mysql9\n");
        user("mysql9", "extends: mysql9\n");

        Map<String, Boolean> shadowed = new LinkedHashMap<>();
        for (ProfileCatalog.Listing l : catalog().list()) {
            if (l.entry().name().equals("mysql9")) {
                shadowed.put(l.entry().origin().label(), l.shadowed());
            }
        }

        assertEquals(Map.of("project", false, "user", true, "built-in", true), shadowed);
        assertEquals(List.of("project", "user", "built-in"), List.copyOf(shadowed.keySet()));
    }

    // ---- extends ----

    @Test
    void extends_merges_maps_key_by_key_and_scalars_override() throws IOException {
        project("base", """
                flavor: mysql
                version: "8.4"
                description: the base
                database: shop
                mycnf:
                  max_connections: 100
                  long_query_time: 10
                env:
                  TZ: UTC
                  LANG: C
                resources:
                  memory: 1g
                  cpus: 2
                """);
        project("child", """
                extends: base
                version: "8.0"
                mycnf:
                  long_query_time: 1
                  skip_name_resolve:
                env:
                  LANG: C.UTF-8
                resources:
                  cpus: 1
                """);

        Profile p = catalog().resolve("child");

        assertEquals("8.0", p.version());
        assertEquals("the base", p.description());
        assertEquals("shop", p.database());
        Map<String, String> mycnf = new HashMap<>();
        mycnf.put("max_connections", "100");
        mycnf.put("long_query_time", "1");
        mycnf.put("skip_name_resolve", null);
        assertEquals(mycnf, p.mycnf());
        assertEquals(Map.of("TZ", "UTC", "LANG", "C.UTF-8"), p.env());
        assertEquals(new Resources(1L << 30, 1_000_000_000L), p.resources());
        assertEquals(List.of("base (project)"), p.extendsChain());
    }

    @Test
    void extends_chain_lists_the_ancestors_nearest_first() throws IOException {
        project("a", "extends: mariadb11\ndescription: a\n");
        project("b", "extends: a\n");

        Profile p = catalog().resolve("b");

        assertEquals(List.of("a (project)", "mariadb11 (built-in)"), p.extendsChain());
        assertEquals("a", p.description());
        assertEquals(Flavor.MARIADB, p.flavor());
    }

    @Test
    void project_profile_extending_its_own_name_gets_the_built_in_one() throws IOException {
        project("mysql8", "extends: mysql8\nmycnf:\n  max_connections: 50\n");

        Profile p = catalog().resolve("mysql8");
        Profile builtIn = new ProfileCatalog(work.resolve("elsewhere"), user).resolve("mysql8");

        assertEquals(Origin.PROJECT, p.origin());
        assertEquals(List.of("mysql8 (built-in)"), p.extendsChain());
        assertEquals(builtIn.version(), p.version());
        assertEquals(builtIn.flavor(), p.flavor());
        Map<String, String> expected = new HashMap<>(builtIn.mycnf());
        expected.put("max_connections", "50");
        assertEquals(expected, p.mycnf());
    }

    @Test
    void same_name_extends_walk_down_every_level() throws IOException {
        project("mysql8", "extends: mysql8\ndescription: project\n");
        user("mysql8", "extends: mysql8\nmycnf:\n  max_connections: 50\n");

        Profile p = catalog().resolve("mysql8");

        assertEquals(List.of("mysql8 (user)", "mysql8 (built-in)"), p.extendsChain());
        assertEquals("project", p.description());
        assertEquals("50", p.mycnf().get("max_connections"));
    }

    @Test
    void file_profile_extends_its_sibling_before_the_catalogue() throws IOException {
        project("base", "flavor: mysql\nversion: \"8.0\"\n");
        Path ci = Files.createDirectories(work.resolve("ci"));
        Files.writeString(ci.resolve("base.yaml"), "flavor: mariadb\nversion: \"11.8\"\n");
        Files.writeString(ci.resolve("test.yaml"), "extends: base\n");

        Profile p = catalog().resolve("ci/test.yaml");

        assertEquals(Flavor.MARIADB, p.flavor());
        assertEquals(List.of("base (file)"), p.extendsChain());
    }

    @Test
    void path_to_a_project_profile_extending_its_own_name_gets_the_built_in_one() throws IOException {
        project("mysql8", "extends: mysql8\nmycnf:\n  max_connections: 50\n");

        Profile p = catalog().resolve("profiles/mysql8.yaml");

        assertEquals(Origin.FILE, p.origin());
        assertEquals(List.of("mysql8 (built-in)"), p.extendsChain());
        assertEquals("50", p.mycnf().get("max_connections"));
    }

    @Test
    void path_to_a_project_profile_is_the_same_profile_however_it_is_spelled() throws IOException {
        project("mysql8", "extends: mysql8\nmycnf:\n  max_connections: 50\n");

        Profile p = catalog().resolve("./profiles/../profiles/mysql8.yaml");

        assertEquals(work.resolve("profiles").resolve("mysql8.yaml").toString(), p.location());
        assertEquals(List.of("mysql8 (built-in)"), p.extendsChain());
    }

    @Test
    void path_to_a_user_profile_extending_its_own_name_skips_the_project_one() throws IOException {
        project("mysql8", "extends: mysql8\ndescription: project\n");
        Path file = user("mysql8", "extends: mysql8\nmycnf:\n  max_connections: 50\n");

        Profile p = catalog().resolve(file.toString());

        assertEquals(Origin.FILE, p.origin());
        assertEquals(List.of("mysql8 (built-in)"), p.extendsChain());
        assertEquals("50", p.mycnf().get("max_connections"));
    }

    @Test
    void extends_cycle_error_names_the_cycle() throws IOException {
        Path a = project("a", "extends: b\n");
        Path b = project("b", "extends: a\n");

        String message = profileError(() -> catalog().resolve("a"));

        assertEquals("profile 'a' extends itself in a cycle: " + a + " -> " + b + " -> " + a, message);
    }

    @Test
    void extending_an_unknown_profile_is_a_profile_error() throws IOException {
        Path broken = project("broken", "extends: nosuch\n");

        String message = profileError(() -> catalog().resolve("broken"));

        assertEquals(broken + ": extends unknown profile 'nosuch'; known profiles: broken, " + KNOWN, message);
    }

    @Test
    void nearest_profile_wins_whatever_the_spelling_of_the_option() throws IOException {
        project("a", "flavor: mysql\nversion: \"8.4\"\nmycnf:\n  slow-query-log: \"OFF\"\n");
        project("b", "extends: a\nmycnf:\n  slow_query_log: \"ON\"\n");
        project("c", "extends: b\nmycnf:\n  slow-query-log: \"OFF\"\n");

        assertEquals(Map.of("slow_query_log", "OFF"), catalog().resolve("c").mycnf());
    }

    @Test
    void refused_option_in_an_extending_profile_is_named_as_written() throws IOException {
        project("a", "flavor: mysql\nversion: \"8.4\"\nmycnf:\n  bind_address: 0.0.0.0\n");
        project("b", "extends: a\nmycnf:\n  Bind-Address: 0.0.0.0\n");

        assertTrue(profileError(() -> catalog().resolve("b")).contains(": mycnf: server option 'Bind-Address' cannot "
                + "be set: "));
    }

    @Test
    void invalid_parent_error_names_the_parent_file() throws IOException {
        Path base = project("base", "flavor: mysql\nversion: \"8.4\"\nport: abc\n");
        project("child", "extends: base\n");

        assertEquals(base + ":3:7: field 'port' must be a whole number",
                profileError(() -> catalog().resolve("child")));
    }
}
