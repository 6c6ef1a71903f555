package dev.devdb.profile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One profile file exactly as written: every field optional, nothing merged or validated yet.
 * Jackson fills it; {@link #mergeOnto} applies {@code extends}.
 */
record ProfileDocument(
        String flavor,
        String version,
        String image,
        String description,
        String database,
        String user,
        String password,
        Integer port,
        Map<String, String> mycnf,
        Map<String, String> env,
        ResourcesDocument resources,
        List<String> init,
        @JsonProperty("extends") String extendsName,
        Boolean cdc,
        Integer replicas) {

    record ResourcesDocument(String memory, String cpus) {}

    static final ProfileDocument EMPTY =
            new ProfileDocument(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null);

    /** This document over a parent: scalars here win, maps merge key by key. */
    ProfileDocument mergeOnto(ProfileDocument parent) {
        return new ProfileDocument(
                pick(flavor, parent.flavor),
                pick(version, parent.version),
                pick(image, parent.image),
                pick(description, parent.description),
                pick(database, parent.database),
                pick(user, parent.user),
                pick(password, parent.password),
                pick(port, parent.port),
                mergeOptions(parent.mycnf, mycnf),
                merge(parent.env, env),
                mergeResources(parent.resources, resources),
                concat(parent.init, init),
                null,
                pick(cdc, parent.cdc),
                pick(replicas, parent.replicas));
    }

    private static <T> T pick(T mine, T inherited) {
        return mine != null ? mine : inherited;
    }

    private static Map<String, String> merge(Map<String, String> base, Map<String, String> over) {
        if (base == null) {
            return over;
        }
        if (over == null) {
            return base;
        }
        Map<String, String> merged = new LinkedHashMap<>(base);
        merged.putAll(over);
        return merged;
    }

    /** Like {@link #merge}, with differently spelled keys of one server option taken as one key. */
    private static Map<String, String> mergeOptions(Map<String, String> base, Map<String, String> over) {
        if (base == null || over == null) {
            return merge(base, over);
        }
        Set<String> overridden = over.keySet().stream().map(ServerOptions::normalizeKey).collect(Collectors.toSet());
        Map<String, String> merged = new LinkedHashMap<>();
        base.forEach((k, v) -> {
            if (!overridden.contains(ServerOptions.normalizeKey(k))) {
                merged.put(k, v);
            }
        });
        merged.putAll(over);
        return merged;
    }

    private static List<String> concat(List<String> base, List<String> over) {
        if (base == null) {
            return over;
        }
        if (over == null) {
            return base;
        }
        List<String> all = new ArrayList<>(base);
        all.addAll(over);
        return all;
    }

    /** This document with its seed paths made absolute against the directory it was read from. */
    ProfileDocument withInitRelativeTo(java.nio.file.Path dir) {
        if (init == null) {
            return this;
        }
        List<String> resolved = init.stream().map(p -> dir.resolve(p).normalize().toString()).toList();
        return new ProfileDocument(flavor, version, image, description, database, user, password, port, mycnf, env,
                resources, resolved, extendsName, cdc, replicas);
    }

    private static ResourcesDocument mergeResources(ResourcesDocument base, ResourcesDocument over) {
        if (base == null) {
            return over;
        }
        if (over == null) {
            return base;
        }
        return new ResourcesDocument(pick(over.memory, base.memory), pick(over.cpus, base.cpus));
    }
}
