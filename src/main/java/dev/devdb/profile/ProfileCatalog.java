package dev.devdb.profile;

import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.JdbcUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds profiles and resolves them. Lookup order: an explicit .yaml/.yml path; ./profiles in the
 * working directory; $XDG_CONFIG_HOME/devdb/profiles; the built-in catalogue.
 */
public final class ProfileCatalog {
    /** The profiles packaged with devdb, in the order {@code devdb profiles} shows them. */
    public static final List<String> BUILT_IN =
            List.of("mysql57", "mysql80", "mysql8", "mysql9", "mariadb105", "mariadb10", "mariadb11");
    public static final String DEFAULT_PROFILE = "mysql8";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_]{1,32}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    /** An image repository without a tag: path components, after an optional registry host with a port. */
    private static final Pattern REPOSITORY =
            Pattern.compile("(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]+)?/)?[a-z0-9]+(?:[._/-][a-z0-9]+)*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Path workingDir;
    private final Path userDir;

    public ProfileCatalog(Path workingDir, Path userDir) {
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.userDir = userDir.toAbsolutePath().normalize();
    }

    /** The catalogue for this process: the working directory and XDG config of the environment given. */
    public static ProfileCatalog standard(Map<String, String> env, Path workingDir) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return new ProfileCatalog(workingDir, config.resolve("devdb").resolve("profiles"));
    }

    /** One profile found by a lookup, before resolution. */
    public record Entry(String name, Origin origin, String location) {}

    /** A listed profile: where it comes from, what it runs, and whether another one hides it. */
    public record Listing(Entry entry, String description, String flavor, String version, boolean shadowed) {}

    /** Resolves a profile name or a path to a .yaml/.yml file. */
    public Profile resolve(String nameOrPath) {
        Entry entry = find(nameOrPath, Origin.FILE)
                .orElseThrow(() -> new ProfileException(unknownMessage(nameOrPath)));
        List<String> chain = new ArrayList<>();
        ProfileDocument doc = load(entry, chain, new ArrayList<>());
        return validate(entry, doc, chain);
    }

    /**
     * Reads a profile again from where an earlier lookup found it ({@link Profile#location()}): a
     * file's path, or {@code built-in:NAME}.
     */
    public Profile reread(String location) {
        if (location.startsWith("built-in:")) {
            String name = location.substring("built-in:".length());
            if (!BUILT_IN.contains(name)) {
                throw new ProfileException("this devdb has no built-in profile '" + name + "'");
            }
            return resolve(new Entry(name, Origin.BUILT_IN, location));
        }
        Path p = Path.of(location);
        if (!Files.isRegularFile(p)) {
            throw new ProfileException("profile file " + location + " is gone");
        }
        return resolve(new Entry(stripExtension(p.getFileName().toString()), Origin.FILE, location));
    }

    /** Every profile visible from here, the ones hidden by an earlier lookup level marked shadowed. */
    public List<Listing> list() {
        Map<String, Boolean> seen = new TreeMap<>();
        List<Listing> result = new ArrayList<>();
        for (Origin origin : List.of(Origin.PROJECT, Origin.USER, Origin.BUILT_IN)) {
            for (Entry e : entries(origin)) {
                boolean shadowed = seen.containsKey(e.name());
                seen.put(e.name(), true);
                String description = "";
                String flavor = "";
                String version = "";
                try {
                    Profile p = shadowed ? null : resolve(e);
                    if (p != null) {
                        description = p.description();
                        flavor = p.flavor().id();
                        version = p.version();
                    }
                } catch (ProfileException ex) {
                    description = "(invalid: " + ex.getMessage() + ")";
                }
                result.add(new Listing(e, description, flavor, version, shadowed));
            }
        }
        return result;
    }

    /** The names of all visible profiles, found without reading or resolving any of them. */
    public List<String> names() {
        return Stream.of(Origin.PROJECT, Origin.USER, Origin.BUILT_IN)
                .flatMap(origin -> entries(origin).stream())
                .map(Entry::name)
                .distinct()
                .sorted()
                .toList();
    }

    private Profile resolve(Entry entry) {
        List<String> chain = new ArrayList<>();
        return validate(entry, load(entry, chain, new ArrayList<>()), chain);
    }

    private List<Entry> entries(Origin origin) {
        if (origin == Origin.BUILT_IN) {
            return BUILT_IN.stream().map(n -> new Entry(n, Origin.BUILT_IN, "built-in:" + n)).toList();
        }
        Path dir = origin == Origin.PROJECT ? workingDir.resolve("profiles") : userDir;
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{yaml,yml}")) {
            for (Path f : files) {
                found.add(new Entry(stripExtension(f.getFileName().toString()), origin, f.toString()));
            }
        } catch (IOException e) {
            return List.of();
        }
        found.sort((a, b) -> a.name().compareTo(b.name()));
        return found;
    }

    /** Looks a name up at {@code from} and the levels after it. */
    private Optional<Entry> find(String nameOrPath, Origin from) {
        if (isPath(nameOrPath)) {
            Path p = workingDir.resolve(nameOrPath).normalize();
            if (!Files.isRegularFile(p)) {
                throw new ProfileException("profile file " + nameOrPath + " does not exist");
            }
            return Optional.of(new Entry(stripExtension(p.getFileName().toString()), Origin.FILE, p.toString()));
        }
        if (!NAME.matcher(nameOrPath).matches()) {
            throw new ProfileException("'" + nameOrPath + "' is not a profile name or a path to a .yaml file");
        }
        for (Origin origin : List.of(Origin.PROJECT, Origin.USER, Origin.BUILT_IN)) {
            if (origin.compareTo(from) < 0) {
                continue;
            }
            if (origin == Origin.BUILT_IN) {
                if (BUILT_IN.contains(nameOrPath)) {
                    return Optional.of(new Entry(nameOrPath, origin, "built-in:" + nameOrPath));
                }
                continue;
            }
            Path dir = origin == Origin.PROJECT ? workingDir.resolve("profiles") : userDir;
            for (String ext : List.of(".yaml", ".yml")) {
                Path f = dir.resolve(nameOrPath + ext);
                if (Files.isRegularFile(f)) {
                    return Optional.of(new Entry(nameOrPath, origin, f.toString()));
                }
            }
        }
        return Optional.empty();
    }

    private ProfileDocument load(Entry entry, List<String> chain, List<String> stack) {
        String key = entry.location();
        if (stack.contains(key)) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(key), stack.size()));
            cycle.add(key);
            throw new ProfileException("profile '" + entry.name() + "' extends itself in a cycle: "
                    + String.join(" -> ", cycle));
        }
        stack.add(key);
        ProfileDocument doc = read(entry);
        Path base = entry.origin() == Origin.BUILT_IN ? workingDir : Path.of(entry.location()).toAbsolutePath().getParent();
        doc = doc.withInitRelativeTo(base);
        if (doc.extendsName() == null) {
            return doc;
        }
        String parentName = doc.extendsName().trim();
        Optional<Entry> parent = Optional.empty();
        if (entry.origin() == Origin.FILE && !isPath(parentName)) {
            Path sibling = Path.of(entry.location()).resolveSibling(parentName + ".yaml");
            if (Files.isRegularFile(sibling) && !sibling.toString().equals(entry.location())) {
                parent = Optional.of(new Entry(parentName, Origin.FILE, sibling.toString()));
            }
        }
        if (parent.isEmpty()) {
            // A profile extending its own name means the one it shadows: look further down.
            Origin level = levelOf(entry);
            Origin from = parentName.equals(entry.name()) && level != Origin.FILE ? next(level) : Origin.FILE;
            parent = from == null ? Optional.empty() : find(parentName, from);
        }
        Entry p = parent.orElseThrow(() -> new ProfileException(entry.location() + ": extends unknown profile '"
                + parentName + "'; known profiles: " + String.join(", ", names())));
        chain.add(p.name() + " (" + p.origin().label() + ")");
        return doc.mergeOnto(load(p, chain, stack));
    }

    /**
     * The lookup level a profile belongs to: a path to a file that is also found by its name
     * ({@code profiles/mysql8.yaml}) belongs to that level, like the profile its name finds.
     */
    private Origin levelOf(Entry entry) {
        if (entry.origin() != Origin.FILE || !NAME.matcher(entry.name()).matches()) {
            return entry.origin();
        }
        for (Origin origin : List.of(Origin.PROJECT, Origin.USER)) {
            Optional<Entry> byName = find(entry.name(), origin);
            if (byName.isPresent() && byName.get().location().equals(entry.location())) {
                return byName.get().origin();
            }
        }
        return Origin.FILE;
    }

    private static Origin next(Origin origin) {
        Origin[] all = Origin.values();
        return origin.ordinal() + 1 < all.length ? all[origin.ordinal() + 1] : null;
    }

    private ProfileDocument read(Entry entry) {
        if (entry.origin() == Origin.BUILT_IN) {
            InputStream in = ProfileCatalog.class.getResourceAsStream("/profiles/" + entry.name() + ".yaml");
            if (in == null) {
                throw new ProfileException("built-in profile '" + entry.name() + "' is missing from this build");
            }
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return ProfileParser.parse(r, entry.location());
            } catch (IOException e) {
                throw new ProfileException(entry.location() + ": " + e.getMessage());
            }
        }
        try (Reader r = Files.newBufferedReader(Path.of(entry.location()), StandardCharsets.UTF_8)) {
            return ProfileParser.parse(r, entry.location());
        } catch (IOException e) {
            throw new ProfileException(entry.location() + ": cannot read profile: " + e.getMessage());
        }
    }

    /** Checks a merged document and turns it into a profile. */
    static Profile validate(Entry entry, ProfileDocument doc, List<String> chain) {
        String where = "profile '" + entry.name() + "' (" + entry.location() + "): ";
        if (doc.flavor() == null) {
            throw new ProfileException(where + "field 'flavor' is required: mysql or mariadb");
        }
        Flavor flavor = Flavor.parse(doc.flavor());
        if (flavor == null) {
            throw new ProfileException(where + "field 'flavor' must be mysql or mariadb, not '" + doc.flavor() + "'");
        }
        if (doc.version() == null || !TAG.matcher(doc.version().trim()).matches()) {
            throw new ProfileException(where + (doc.version() == null
                    ? "field 'version' is required: the image tag, e.g. 8.4"
                    : "field 'version' is not a valid image tag: '" + doc.version() + "'"));
        }
        if (doc.image() != null && !REPOSITORY.matcher(doc.image().trim()).matches()) {
            throw new ProfileException(where + "field 'image' is not a valid image repository: '" + doc.image()
                    + "' (the tag goes in 'version')");
        }
        String database = orDefault(doc.database(), Profile.DEFAULT_DATABASE);
        String user = orDefault(doc.user(), Profile.DEFAULT_USER);
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new ProfileException(where + "field 'database' must be 1 to 32 letters, digits or '_', not '"
                    + database + "'");
        }
        if (!IDENTIFIER.matcher(user).matches() || user.equalsIgnoreCase("root")) {
            throw new ProfileException(where + "field 'user' must be 1 to 32 letters, digits or '_' and not root, not '"
                    + user + "'");
        }
        if (doc.password() != null && (doc.password().isEmpty() || doc.password().indexOf('\0') >= 0
                || doc.password().indexOf('\n') >= 0)) {
            throw new ProfileException(where + "field 'password' must be a non-empty single line; "
                    + "leave it out to generate one per instance");
        }
        String passwordProblem = doc.password() == null ? null : JdbcUrl.passwordProblem(flavor, doc.password());
        if (passwordProblem != null) {
            throw new ProfileException(where + "field 'password' " + passwordProblem
                    + ", or leave it out to generate one per instance");
        }
        if (doc.port() != null && (doc.port() < 1 || doc.port() > 65535)) {
            throw new ProfileException(where + "field 'port' must be between 1 and 65535, not " + doc.port());
        }
        Map<String, String> mycnf = new LinkedHashMap<>();
        if (doc.mycnf() != null) {
            for (Map.Entry<String, String> e : doc.mycnf().entrySet()) {
                String problem = ServerOptions.problem(e.getKey(), e.getValue());
                if (problem != null) {
                    throw new ProfileException(where + "mycnf: " + problem);
                }
            }
            mycnf = ServerOptions.merge(Map.of(), doc.mycnf());
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (doc.env() != null) {
            for (Map.Entry<String, String> e : doc.env().entrySet()) {
                String k = e.getKey();
                if (!ENV_NAME.matcher(k).matches()) {
                    throw new ProfileException(where + "env: '" + k + "' is not a valid variable name");
                }
                if (k.matches("(MYSQL|MARIADB)_(ROOT_PASSWORD|PASSWORD|USER|DATABASE|ALLOW_EMPTY_PASSWORD"
                        + "|RANDOM_ROOT_PASSWORD|ROOT_HOST)")) {
                    throw new ProfileException(where + "env: " + k
                            + " is set by devdb; use the fields 'database', 'user' and 'password'");
                }
                String v = e.getValue() == null ? "" : e.getValue();
                if (v.indexOf('\0') >= 0) {
                    throw new ProfileException(where + "env: value of " + k + " contains a NUL character");
                }
                env.put(k, v);
            }
        }
        Resources resources = Resources.NONE;
        if (doc.resources() != null) {
            Long memory = null;
            Long cpus = null;
            if (doc.resources().memory() != null) {
                memory = Sizes.bytes(doc.resources().memory());
                if (memory == null || memory < 64L << 20) {
                    throw new ProfileException(where + "resources.memory must be a size of at least 64m, like 512m or "
                            + "2g, not '" + doc.resources().memory() + "'");
                }
            }
            if (doc.resources().cpus() != null) {
                cpus = Sizes.nanoCpus(doc.resources().cpus());
                if (cpus == null) {
                    throw new ProfileException(where + "resources.cpus must be a positive number like 1.5, not '"
                            + doc.resources().cpus() + "'");
                }
            }
            resources = new Resources(memory, cpus);
        }
        int replicas = doc.replicas() == null ? 0 : doc.replicas();
        if (replicas < 0 || replicas > Profile.MAX_REPLICAS) {
            throw new ProfileException(where + "field 'replicas' must be between 0 and " + Profile.MAX_REPLICAS
                    + ", not " + replicas);
        }
        if (Boolean.TRUE.equals(doc.cdc()) && user.equalsIgnoreCase(dev.devdb.mysql.Binlog.CDC_USER)) {
            throw new ProfileException(where + "field 'user' cannot be '" + user
                    + "' with cdc: true; that name is the connector's");
        }
        return new Profile(entry.name(), entry.origin(), entry.location(), flavor, doc.version().trim(),
                doc.image() == null ? null : doc.image().trim(), orDefault(doc.description(), ""), database, user,
                doc.password(), doc.port(), Collections.unmodifiableMap(mycnf), Collections.unmodifiableMap(env),
                resources, doc.init() == null ? List.of() : doc.init().stream().map(Path::of).toList(),
                List.copyOf(chain), Boolean.TRUE.equals(doc.cdc()), replicas);
    }

    private String unknownMessage(String name) {
        String known = String.join(", ", names());
        return Suggest.closest(name, names())
                .map(s -> "unknown profile '" + name + "'; did you mean '" + s + "'? Known profiles: " + known)
                .orElse("unknown profile '" + name + "'; known profiles: " + known);
    }

    private static boolean isPath(String s) {
        return s.endsWith(".yaml") || s.endsWith(".yml");
    }

    private static String stripExtension(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
