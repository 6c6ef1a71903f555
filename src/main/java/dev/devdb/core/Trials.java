package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Outcome;
import dev.devdb.mysql.SqlScript;
import dev.devdb.mysql.SqlSession;
import dev.devdb.profile.Profile;
import dev.devdb.profile.ProfileCatalog;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code devdb try}: the same statements on one fresh instance per profile, started side by side the
 * way {@code up} starts them (warm from the cache when it can), compared statement by statement.
 * The instances get names of their own ({@code try-PROFILE-RANDOM}), so none of the user's is touched,
 * and are removed at the end unless kept; when the process is stopped midway, its cleanup removes them.
 */
public final class Trials {
    private static final int CONNECT_MILLIS = 10_000;
    private static final int MAX_PROFILE_IN_NAME = 36;

    private final Engine engine;
    private final ProfileCatalog catalog;
    private final Instances instances;

    public Trials(Engine engine, ProfileCatalog catalog, Instances instances) {
        this.engine = engine;
        this.catalog = catalog;
        this.instances = instances;
    }

    /**
     * What to try.
     *
     * @param statements the statements, with where they came from
     * @param profiles the profiles to compare, at least two
     * @param seeds seed scripts every instance gets
     * @param explain compare plans too
     * @param keep leave the instances running at the end
     * @param timeout how long to wait for each server
     */
    public record Request(List<Sourced> statements, List<String> profiles, List<Path> seeds, boolean explain,
            boolean keep, Duration timeout) {}

    /** A statement and the file ({@code -e} for the command line) and line it came from. */
    public record Sourced(String source, int line, String sql) {}

    /** The statements of SQL given on the command line. */
    public static List<Sourced> inline(String sql) {
        return parse("-e", sql);
    }

    /**
     * The statements of a file, or of a directory's {@code *.sql} files in name order.
     *
     * @param path the file or directory (absolute, or relative to the working directory)
     * @param shown how to name it in messages
     */
    public static List<Sourced> read(Path path, String shown) {
        if (!Files.exists(path)) {
            throw new DevDbException(ExitCodes.USAGE, shown + " does not exist; name a .sql file, a directory of"
                    + " them, or give the SQL with -e");
        }
        List<Sourced> all = new ArrayList<>();
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> list = Files.list(path)) {
                files = list.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql")
                        && Files.isRegularFile(p)).sorted().toList();
            } catch (IOException e) {
                throw new DevDbException(ExitCodes.USAGE, "cannot read directory " + shown + ": " + reason(e));
            }
            if (files.isEmpty()) {
                throw new DevDbException(ExitCodes.USAGE, "directory " + shown + " has no .sql file");
            }
            for (Path f : files) {
                all.addAll(parse(shown.endsWith("/") ? shown + f.getFileName() : shown + "/" + f.getFileName(),
                        text(f, shown)));
            }
            return all;
        }
        return parse(shown, text(path, shown));
    }

    private static String text(Path file, String shown) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DevDbException(ExitCodes.USAGE, "cannot read " + file.getFileName() + " in " + shown
                    + ": it is not UTF-8 text");
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.USAGE, "cannot read " + shown + ": " + reason(e));
        }
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static List<Sourced> parse(String source, String text) {
        try {
            return SqlScript.split(text).stream().map(s -> new Sourced(source, s.line(), s.sql())).toList();
        } catch (SqlScript.ScriptException e) {
            throw new DevDbException(ExitCodes.USAGE, source + ":" + e.line() + ": " + e.getMessage());
        }
    }

    /**
     * Starts the instances, runs every statement on each and compares.
     *
     * @param listener where the instances' start is reported
     * @param kept told the names of the instances when they are kept
     */
    public TryReport run(Request request, UpListener listener, java.util.function.Consumer<List<String>> kept) {
        if (request.statements().isEmpty()) {
            throw new DevDbException(ExitCodes.USAGE, "no statements to try: the input holds only comments or blanks");
        }
        if (request.profiles().size() < 2) {
            throw new DevDbException(ExitCodes.USAGE, "name at least two profiles to compare with --on, e.g."
                    + " --on mysql9,mariadb11");
        }
        Set<String> seen = new HashSet<>();
        List<Profile> profiles = new ArrayList<>();
        for (String p : request.profiles()) {
            Profile profile = catalog.resolve(p);
            if (!seen.add(profile.name())) {
                throw new DevDbException(ExitCodes.USAGE, "profile " + profile.name() + " is named twice in --on");
            }
            profiles.add(profile);
        }
        List<String> names = profiles.stream().map(Trials::instanceName).toList();
        Cleanup cleanup = instances.launcher().cleanup();
        return cleanup.guard("try", () -> remove(names), () -> {
            List<Instance> started = start(request, profiles, names, listener);
            listener.step("running " + request.statements().size() + " statement"
                    + (request.statements().size() == 1 ? "" : "s") + " on " + String.join(", ", names));
            TryReport report = compare(request, profiles, started);
            if (request.keep()) {
                kept.accept(names);
            } else {
                listener.step("removing " + String.join(", ", names));
                remove(names);
            }
            return report;
        });
    }

    /** An instance name that no user's instance has: try-PROFILE-RANDOM. */
    static String instanceName(Profile profile) {
        String base = profile.name().replaceAll("[^a-zA-Z0-9_.-]", "-");
        if (base.length() > MAX_PROFILE_IN_NAME) {
            base = base.substring(0, MAX_PROFILE_IN_NAME);
        }
        return Instances.checkName("try-" + base + "-" + Passwords.generate(6).toLowerCase(Locale.ROOT));
    }

    /** Starts every instance at once, as {@code up} does; the first failure is the one reported. */
    private List<Instance> start(Request request, List<Profile> profiles, List<String> names, UpListener listener) {
        ExecutorService pool = Executors.newFixedThreadPool(profiles.size());
        try {
            List<Future<UpResult>> ups = new ArrayList<>();
            for (int i = 0; i < profiles.size(); i++) {
                UpRequest up = new UpRequest(request.profiles().get(i), names.get(i), null, Map.of(), null, false,
                        UpRequest.PullPolicy.MISSING, request.timeout(), false, request.seeds(), false, null, false, 0,
                        null, null);
                ups.add(pool.submit(() -> instances.up(up, listener)));
            }
            List<Instance> started = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<UpResult> f : ups) {
                try {
                    started.add(f.get().instance());
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted");
                }
            }
            if (failure != null) {
                throw failure;
            }
            return started;
        } finally {
            pool.shutdownNow();
        }
    }

    private TryReport compare(Request request, List<Profile> profiles, List<Instance> started) {
        List<SqlSession> sessions = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(started.size());
        try {
            List<TryReport.Server> servers = new ArrayList<>();
            for (int i = 0; i < started.size(); i++) {
                Instance in = started.get(i);
                SqlSession s = connect(in);
                sessions.add(s);
                servers.add(new TryReport.Server(profiles.get(i).name(), in.name(), in.flavor().displayName(),
                        s.serverVersion()));
            }
            List<TryReport.Result> results = new ArrayList<>();
            for (Sourced st : request.statements()) {
                List<Future<Outcome>> runs = new ArrayList<>();
                for (SqlSession s : sessions) {
                    runs.add(pool.submit(() -> s.run(st.sql(), request.explain())));
                }
                List<Outcome> outcomes = new ArrayList<>();
                for (Future<Outcome> f : runs) {
                    outcomes.add(get(f));
                }
                results.add(new TryReport.Result(st.source(), st.line(), st.sql(), List.copyOf(outcomes),
                        TryReport.differences(st.sql(), outcomes)));
            }
            return new TryReport(List.copyOf(servers), List.copyOf(results));
        } finally {
            pool.shutdownNow();
            sessions.forEach(SqlSession::close);
        }
    }

    private static Outcome get(Future<Outcome> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }

    private static SqlSession connect(Instance in) {
        try {
            return SqlSession.open(in.host(), in.port(), "root", in.rootPassword(), in.database(), CONNECT_MILLIS);
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "cannot connect to " + in.name() + " on " + in.address()
                    + ": " + e.getMessage());
        }
    }

    /** Removes the instances by name, as far as they exist: tolerates running twice and finding nothing. */
    private void remove(List<String> names) {
        names.parallelStream().forEach(name -> {
            try {
                ContainerInfo c = engine.inspect(instances.scope().containerName(name)).orElse(null);
                if (c != null && "true".equals(c.label(Labels.MANAGED)) && name.equals(c.label(Labels.NAME))) {
                    engine.remove(c.id(), Duration.ZERO);
                }
            } catch (RuntimeException e) {
                // best effort: what is left carries devdb's labels, so `devdb down` or `prune` finds it
            }
        });
    }
}
