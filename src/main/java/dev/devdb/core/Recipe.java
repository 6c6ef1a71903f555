package dev.devdb.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.profile.Profile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an instance was made from, kept on its container (label {@link Labels#RECIPE}) so that later
 * commands can say what changed since: a repeated {@code up} names the settings that differ, and
 * {@code ps} tells whether the profile still describes the instance. Secrets are kept as digests.
 *
 * @param profile where the profile was read: a file's absolute path, or {@code built-in:NAME}
 * @param image the profile's image repository, or null for the flavour's default
 * @param version the profile's version (the image tag)
 * @param mycnf the server options the instance runs with (profile, command-line options and devdb's own)
 * @param profileMycnf the options the profile alone set
 * @param seeds the seed scripts, in the order they ran
 * @param settings everything else that makes two instances interchangeable (database, user, port, limits,
 *     digests of the password and of environment values)
 */
public record Recipe(String profile, String image, String version, Map<String, String> mycnf,
        Map<String, String> profileMycnf, List<SeedFile> seeds, Map<String, String> settings) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many changes a one-line message lists before it says how many more there are. */
    private static final int SHOWN = 4;

    /**
     * One seed script.
     *
     * @param path the file on this machine, absolute
     * @param sha256 a digest of its contents
     * @param fromProfile whether the profile named it (rather than {@code --init})
     */
    public record SeedFile(String path, String sha256, boolean fromProfile) {}

    public Recipe {
        mycnf = java.util.Collections.unmodifiableMap(new TreeMap<>(mycnf));
        profileMycnf = java.util.Collections.unmodifiableMap(new TreeMap<>(profileMycnf));
        seeds = List.copyOf(seeds);
        settings = Map.copyOf(settings);
    }

    /** The recipe of a plan: the profile, the options it runs with and its seeds. */
    static Recipe of(Profile profile, Map<String, String> options, Seeds seeds, Integer port) {
        Set<String> fromProfile = new LinkedHashSet<>();
        for (Path p : Seeds.collect(profile.init()).files().stream().map(Seeds.Seed::source).toList()) {
            fromProfile.add(p.toAbsolutePath().normalize().toString());
        }
        List<SeedFile> files = new ArrayList<>();
        for (Seeds.Seed s : seeds.files()) {
            String path = s.source().toAbsolutePath().normalize().toString();
            files.add(new SeedFile(path, s.sha256(), fromProfile.contains(path)));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("database", String.valueOf(profile.database()));
        settings.put("user", String.valueOf(profile.user()));
        settings.put("password", profile.password() == null ? "generated"
                : "sha256:" + Instances.sha256(profile.password()).substring(0, 16));
        settings.put("port", port == null ? "any" : port.toString());
        settings.put("memory", String.valueOf(profile.resources().memoryBytes()));
        settings.put("cpus", String.valueOf(profile.resources().nanoCpus()));
        new TreeMap<>(profile.env()).forEach((k, v) -> settings.put("env " + k,
                "sha256:" + Instances.sha256(v).substring(0, 16)));
        return new Recipe(location(profile), profile.image(), profile.version(), options, profile.mycnf(), files,
                settings);
    }

    /** Where a profile can be read again: its file's absolute path, or {@code built-in:NAME}. */
    static String location(Profile profile) {
        String location = profile.location();
        if (location == null) {
            return null;
        }
        return location.startsWith("built-in:") ? location : Path.of(location).toAbsolutePath().normalize().toString();
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The recipe a label holds, or null when there is none or it cannot be read (an older devdb made it). */
    static Recipe fromJson(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        try {
            Recipe r = JSON.readValue(json, Recipe.class);
            return r.mycnf() == null ? null : r;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /**
     * What differs from {@code before} to this recipe, one entry per change, as a person reads it:
     * {@code max_connections: 500 -> 800}, {@code seeds: db/02-fixtures.sql changed}.
     *
     * Seed paths are shown relative to the profile's directory, or to the one above it (the project of a
     * {@code profiles/} directory), when they lie below it.
     */
    List<String> changesSince(Recipe before) {
        Path workingDir = seedBase();
        List<String> changes = new ArrayList<>();
        if (!Objects.equals(before.image(), image)) {
            changes.add("image: " + orDefault(before.image()) + " -> " + orDefault(image));
        }
        if (!Objects.equals(before.version(), version)) {
            changes.add("version: " + before.version() + " -> " + version);
        }
        changes.addAll(optionChanges(before.mycnf(), mycnf));
        changes.addAll(seedChanges(before.seeds(), seeds, workingDir));
        Set<String> keys = new TreeSet<>(before.settings().keySet());
        keys.addAll(settings.keySet());
        for (String k : keys) {
            String was = before.settings().get(k);
            String now = settings.get(k);
            if (Objects.equals(was, now)) {
                continue;
            }
            if (k.equals("password") || k.startsWith("env ")) {
                changes.add(k + (was == null ? " added" : now == null ? " removed" : " changed"));
            } else {
                changes.add(k + ": " + (was == null ? "unset" : was) + " -> " + (now == null ? "unset" : now));
            }
        }
        return changes;
    }

    static List<String> optionChanges(Map<String, String> before, Map<String, String> after) {
        List<String> changes = new ArrayList<>();
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            String was = before.get(k);
            String now = after.get(k);
            if (!Objects.equals(was, now)) {
                changes.add(k + ": " + (was == null ? "unset" : was) + " -> " + (now == null ? "unset" : now));
            }
        }
        return changes;
    }

    static List<String> seedChanges(List<SeedFile> before, List<SeedFile> after, Path workingDir) {
        Map<String, String> was = new LinkedHashMap<>();
        before.forEach(s -> was.put(s.path(), s.sha256()));
        Map<String, String> now = new LinkedHashMap<>();
        after.forEach(s -> now.put(s.path(), s.sha256()));
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, String> e : now.entrySet()) {
            String old = was.get(e.getKey());
            if (old == null) {
                changes.add("seeds: " + shown(e.getKey(), workingDir) + " added");
            } else if (!old.equals(e.getValue())) {
                changes.add("seeds: " + shown(e.getKey(), workingDir) + " changed");
            }
        }
        for (String path : was.keySet()) {
            if (!now.containsKey(path)) {
                changes.add("seeds: " + shown(path, workingDir) + " removed");
            }
        }
        if (changes.isEmpty() && !List.copyOf(was.keySet()).equals(List.copyOf(now.keySet()))) {
            changes.add("seeds: run in another order");
        }
        return changes;
    }

    /** The changes as one line: the first few, then how many more. */
    static String summary(List<String> changes) {
        if (changes.size() <= SHOWN) {
            return String.join(", ", changes);
        }
        return String.join(", ", changes.subList(0, SHOWN)) + " and " + (changes.size() - SHOWN) + " more";
    }

    /** The directory seed paths are shown relative to, or null for a built-in profile. */
    Path seedBase() {
        if (profile == null || profile.startsWith("built-in:")) {
            return null;
        }
        Path dir = Path.of(profile).getParent();
        boolean allBelow = dir != null && seeds.stream().allMatch(s -> Path.of(s.path()).startsWith(dir));
        return allBelow || dir == null || dir.getParent() == null ? dir : dir.getParent();
    }

    private static String orDefault(String image) {
        return image == null ? "(the flavour's default)" : image;
    }

    private static String shown(String path, Path base) {
        Path p = Path.of(path);
        return base != null && p.startsWith(base) ? base.relativize(p).toString() : path;
    }
}
