package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.ContainerSpec;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Binlog;
import dev.devdb.mysql.ServerVersion;
import dev.devdb.mysql.StartScript;
import dev.devdb.profile.ImageRef;
import dev.devdb.profile.Profile;
import dev.devdb.profile.ServerOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one {@code up} creates, computed from the request and the profile alone (and the seed files
 * they name): no engine is asked. Invalid requests fail here, before anything exists.
 *
 * @param profile the resolved profile
 * @param name the instance's name
 * @param cdc whether the server is set up for change-data-capture
 * @param replicas how many replicas start with it
 * @param network the existing network it joins too, or null
 * @param alias its host name on that network, or null without one
 * @param options the server options it gets, in order
 * @param seeds the seed scripts
 * @param image the image it starts from
 * @param port the fixed host port, or null for one the engine picks
 * @param configHash what makes two instances interchangeable, as a digest
 * @param recipe what the instance is made from, readable: what a repeated up compares
 * @param warnings options the version ignores or deprecates, one line each
 * @param bind the address of the engine's host the port is published on
 */
record UpPlan(Profile profile, String name, boolean cdc, int replicas, String network, String alias,
        Map<String, String> options, Seeds seeds, String image, Integer port, String configHash, Recipe recipe,
        List<String> warnings, String bind) {

    /**
     * Bumped whenever the way data is initialised or kept changes, so old cache entries stop matching.
     * 5: the clean copy no longer holds an init file with the passwords of the instance that made it.
     */
    static final int CACHE_FORMAT = 5;
    private static final Pattern ALIAS = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    /** Docker's own networks: none of them takes a network-scoped alias. */
    private static final Set<String> BUILT_IN_NETWORKS = Set.of("bridge", "host", "none");

    /** What {@code up} does about a container already standing where the instance goes. */
    enum Decision {
        /** Nothing stands there: create the instance. */
        CREATE,
        /** {@code --recreate}: remove what stands there, then create the instance. */
        REPLACE,
        /** The same instance runs already: share it. */
        SHARE
    }

    /**
     * The plan for a request.
     *
     * @param registry the DEVDB_REGISTRY prefix, or null
     */
    static UpPlan of(UpRequest request, Profile profile, String registry) {
        String name = Instances.checkName(request.name() != null ? request.name() : profile.name());
        boolean cdc = request.cdc() || profile.cdc();
        int replicas = request.replicas() != null ? request.replicas() : profile.replicas();
        if (replicas < 0 || replicas > Profile.MAX_REPLICAS) {
            throw new DevDbException(ExitCodes.USAGE, "--replicas must be between 0 and " + Profile.MAX_REPLICAS
                    + ", not " + replicas);
        }
        if (replicas > 0) {
            Instances.checkName(Topologies.replicaName(name, replicas));
            if (request.noWait()) {
                throw new DevDbException(ExitCodes.USAGE, "--no-wait does not go with replicas: up waits for them to"
                        + " replicate");
            }
        }
        if (cdc && profile.user().equalsIgnoreCase(Binlog.CDC_USER)) {
            throw new DevDbException(ExitCodes.USAGE, "the profile's user is '" + profile.user()
                    + "', the name of the CDC connector's user; choose another user in the profile");
        }
        String network = request.network();
        String alias = checkAlias(network, request.alias() != null ? request.alias() : name, request.alias() != null);
        ServerVersion version = ServerVersion.ofTag(profile.version());
        Map<String, String> options = Instances.serverOptions(profile, request);
        List<String> warnings = OptionCheck.requireNoErrors(OptionCheck.check(profile,
                request.set() == null ? Map.of() : request.set(), replicas > 0, cdc, profile.flavor(),
                profile.version()), request.profile() == null ? profile.name() : request.profile())
                .stream().map(OptionCheck.Problem::line).toList();
        if (cdc || replicas > 0) {
            // the options a binary log reader needs come first; the profile and --set may still override them
            options = ServerOptions.merge(cdc ? Binlog.cdcOptions(profile.flavor(), version)
                    : Binlog.replicationOptions(profile.flavor(), version), options);
        }
        List<Path> seedPaths = new ArrayList<>(profile.init());
        if (request.init() != null) {
            seedPaths.addAll(request.init());
        }
        Seeds seeds = Seeds.collect(seedPaths);
        String seedDigest = seeds.digest() + (cdc ? "+cdc-user:" + Instances.sha256(Binlog.cdcUserScript()) : "");
        String image = ImageRef.of(profile, registry);
        Integer port = request.port() != null ? request.port() : profile.port();
        String hash = Instances.configHash(profile, image, options, port, seedDigest);
        return new UpPlan(profile, name, cdc, replicas, network, alias, options, seeds, image, port, hash,
                Recipe.of(profile, options, seeds, port), warnings, PublishedPorts.checkBind(request.bind()));
    }

    private static String checkAlias(String network, String alias, boolean given) {
        if (network == null) {
            if (given) {
                throw new DevDbException(ExitCodes.USAGE, "--alias names the instance on a --network; give --network too");
            }
            return null;
        }
        if (!ALIAS.matcher(network).matches()) {
            throw new DevDbException(ExitCodes.USAGE, "--network '" + network + "' is not a valid network name");
        }
        if (BUILT_IN_NETWORKS.contains(network)) {
            throw new DevDbException(ExitCodes.USAGE, "--network " + network + " is one of Docker's built-in networks"
                    + " (bridge, host, none), which give a container no host name of its own: create a network"
                    + " (docker network create NET) and give that; the port is published on 127.0.0.1 either way");
        }
        if (!ALIAS.matcher(alias).matches()) {
            throw new DevDbException(ExitCodes.USAGE, "--alias '" + alias
                    + "' is not a valid host name: use letters, digits, '_', '.' or '-'");
        }
        return alias;
    }

    /**
     * What to do about the container standing where the instance goes; fails (exit 7) when it is
     * not this instance and may not be replaced.
     *
     * @param existing that container, or null when there is none
     * @param containerName its name
     * @param recreate whether {@code --recreate} was given
     */
    Decision reconcile(ContainerInfo existing, Scope scope, String containerName, boolean recreate) {
        if (existing == null) {
            return Decision.CREATE;
        }
        ContainerInfo c = existing;
        if (!"true".equals(c.label(Labels.MANAGED)) || !scope.contains(c.labels())) {
            throw new DevDbException(ExitCodes.NAME_CONFLICT, "a container named " + containerName
                    + " exists and was not created by devdb" + scope.describe()
                    + "; devdb leaves it alone: choose another --name");
        }
        boolean sameShape = Integer.toString(replicas).equals(Optional.ofNullable(c.label(Labels.REPLICAS)).orElse("0"))
                && Objects.equals(network, c.label(Labels.NETWORK))
                && Objects.equals(network == null ? null : alias, c.label(Labels.NETWORK_ALIAS))
                && !"replica".equals(c.label(Labels.ROLE))
                && bind.equals(Objects.requireNonNullElse(c.label(Labels.BIND), ContainerSpec.LOOPBACK));
        if (recreate) {
            return Decision.REPLACE;
        }
        if (configHash.equals(c.label(Labels.CONFIG_HASH)) && c.running() && sameShape) {
            return Decision.SHARE;
        }
        if ("created".equals(c.state())) {
            throw new DevDbException(ExitCodes.NAME_CONFLICT, "instance " + name + " is being created by another"
                    + " `devdb up` right now (or one was killed while creating it: then `devdb down " + name
                    + "`); pick another --name, or wait for it with `devdb wait " + name + "`");
        }
        if (!c.running()) {
            throw new DevDbException(ExitCodes.NAME_CONFLICT, "instance " + name + " exists but is " + c.state()
                    + (c.exitCode() != null ? " (exit code " + c.exitCode() + ")" : "")
                    + "; see `devdb logs " + name + "`, then `devdb up --recreate` or `devdb down " + name + "`");
        }
        Recipe before = Recipe.fromJson(c.label(Labels.RECIPE));
        List<String> changes = new ArrayList<>(before == null ? List.of() : recipe.changesSince(before));
        if (changes.isEmpty() && c.label(Labels.IMAGE) != null && !image.equals(c.label(Labels.IMAGE))) {
            // the same profile resolved to another image: another DEVDB_REGISTRY, say
            changes.add("image: " + c.label(Labels.IMAGE) + " -> " + image);
        }
        String what = !changes.isEmpty() && sameShape ? Recipe.summary(changes)
                : "profile " + c.label(Labels.PROFILE) + (sameShape ? "" : ", replicas, network or --bind");
        throw new DevDbException(ExitCodes.NAME_CONFLICT, "instance " + name
                + " is running with a different configuration (" + what + "); replace it with"
                + " `devdb up --recreate`, or pick another --name");
    }

    /** The key of the cache entry holding this plan's initialised data, made from the given base image. */
    String cacheKey(String baseImageId) {
        return Instances.sha256("format=" + CACHE_FORMAT + "\nstart=" + StartScript.digest() + "\nbase=" + baseImageId
                + "\nconfig=" + configHash).substring(0, 20);
    }

    /** The container environment: the profile's, and fresh credentials (the profile's password if it fixes one). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(profile.env());
        env.put("MYSQL_ROOT_PASSWORD", Passwords.generate(24));
        env.put("MYSQL_DATABASE", profile.database());
        env.put("MYSQL_USER", profile.user());
        env.put("MYSQL_PASSWORD", profile.password() != null ? profile.password() : Passwords.generate(20));
        if (StartScript.checksConfig(profile.flavor(), ServerVersion.ofTag(profile.version()))) {
            env.put(StartScript.CHECK_CONFIG_ENV, "1");
        }
        if (cdc) {
            env.put(Instances.CDC_PASSWORD_ENV, Passwords.generate(20));
        }
        if (replicas > 0) {
            env.put(Instances.REPLICATION_PASSWORD_ENV, Passwords.generate(24));
        }
        return env;
    }

    /**
     * The labels every member's container carries.
     *
     * @param token marks what this {@code up} creates, for its clean-up
     * @param expires when {@code devdb prune} may remove the instance, or null
     */
    Map<String, String> labels(Scope scope, String baseImageId, String cacheKey, String token, Instant expires) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.NAME, name);
        scope.stamp(labels);
        labels.put(Labels.PROFILE, profile.name());
        labels.put(Labels.FLAVOR, profile.flavor().id());
        labels.put(Labels.VERSION, profile.version());
        labels.put(Labels.IMAGE, image);
        labels.put(Labels.CONFIG_HASH, configHash);
        labels.put(Labels.RECIPE, recipe.toJson());
        labels.put(Labels.DATABASE, profile.database());
        labels.put(Labels.USER, profile.user());
        labels.put(Labels.BASE_IMAGE_ID, baseImageId);
        labels.put(Labels.CACHE_KEY, cacheKey);
        labels.put(Labels.UP_TOKEN, token);
        labels.put(Labels.BIND, bind);
        if (profile.resources().memoryBytes() != null) {
            labels.put(Labels.MEMORY, profile.resources().memoryBytes().toString());
        }
        if (profile.resources().nanoCpus() != null) {
            labels.put(Labels.CPUS, profile.resources().nanoCpus().toString());
        }
        if (expires != null) {
            labels.put(Labels.EXPIRES, Long.toString(expires.getEpochSecond()));
        }
        if (cdc) {
            labels.put(Labels.CDC, "true");
        }
        if (network != null) {
            labels.put(Labels.NETWORK, network);
        }
        return labels;
    }

    /** The primary's part: its server id, role and place in the topology. */
    Launcher.Member primary() {
        return new Launcher.Member(name, port, cdc || replicas > 0 ? Binlog.PRIMARY_SERVER_ID : null,
                replicas > 0 ? "primary" : null, name, replicas, network == null ? null : alias);
    }
}
