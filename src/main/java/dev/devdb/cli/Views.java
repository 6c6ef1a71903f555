package dev.devdb.cli;

import dev.devdb.core.Durations;
import dev.devdb.core.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** How instances look in output; the JSON field names here are documented and stable. */
final class Views {
    private Views() {}

    static Map<String, Object> connection(Instance i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("profile", i.profile());
        m.put("flavor", i.flavor() == null ? null : i.flavor().id());
        m.put("version", i.version());
        m.put("container", i.containerName());
        m.put("host", i.host());
        m.put("port", i.port());
        m.put("user", i.user());
        m.put("password", i.password());
        m.put("database", i.database());
        m.put("url", i.url());
        m.put("jdbcUrl", i.jdbcUrl());
        return m;
    }

    static Map<String, Object> listing(Instance i, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("profile", i.profile());
        m.put("flavor", i.flavor() == null ? null : i.flavor().id());
        m.put("version", i.version());
        m.put("state", i.state());
        m.put("host", i.host());
        m.put("port", i.port());
        m.put("container", i.containerName());
        m.put("image", i.image());
        m.put("created", i.created() == null ? null : i.created().toString());
        m.put("ageSeconds", i.created() == null ? null : Duration.between(i.created(), now).toSeconds());
        return m;
    }

    static String age(Instance i, Instant now) {
        return i.created() == null ? "" : Durations.format(Duration.between(i.created(), now).withNanos(0));
    }

    static String address(Instance i) {
        return i.port() == null ? "-" : i.host() + ":" + i.port();
    }
}
