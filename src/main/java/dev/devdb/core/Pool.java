package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.engine.ExecResult;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.PoolScripts;
import dev.devdb.mysql.Sql;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An instance's pool of fresh databases: complete copies of the profile's database as the seeds
 * left it, made ahead of time inside the server by a refiller in the container, handed out by
 * {@code _devdb_pool.new_database()} (which the application account may call) and dropped by
 * {@code _devdb_pool.drop_database(name)}. The copies come from the prepared template a cold
 * {@code up} keeps of each seed database ({@code _devdb}); the pool never changes that template.
 */
public final class Pool {
    /** How many databases the pool keeps ready unless told otherwise. */
    public static final int DEFAULT_SIZE = 4;
    /** The most databases a pool keeps ready. */
    public static final int MAX_SIZE = 64;

    private static final Pattern ERROR = Pattern.compile("ERROR (\\d+)(?: \\((\\w+)\\))?(?: at line \\d+)?: (.*)");
    private static final int NO_DATABASE = 1049;
    private static final int NO_TABLE = 1146;
    private static final int NO_PROCEDURE = 1305;
    private static final int SIGNALLED = 1644;

    private final Engine engine;

    public Pool(Engine engine) {
        this.engine = engine;
    }

    /**
     * Hands out a fresh database of the running instance, setting its pool up first when it has none
     * (or when {@code size} asks for another size), and starting the refiller when it does not run.
     *
     * @param size how many databases to keep ready, or null to keep the pool's size
     *     ({@link #DEFAULT_SIZE} for a new pool)
     * @return the instance, its database the one handed out
     */
    public Instance take(Instance instance, Integer size) {
        ContainerInfo c = container(instance);
        if (size != null) {
            setUp(instance, c, size);
        }
        ExecResult r = callWithRefiller(instance, "CALL " + PoolScripts.CONTROL_DB + ".new_database()");
        if (r.exitCode() != 0 && size == null && missing(r)) {
            setUp(instance, c, DEFAULT_SIZE);
            r = callWithRefiller(instance, "CALL " + PoolScripts.CONTROL_DB + ".new_database()");
        }
        if (r.exitCode() != 0 && errorCode(r) == SIGNALLED) {
            throw new DevDbException(ExitCodes.TIMEOUT, "the pool of " + instance.name() + " had no database ready "
                    + "within 30 seconds" + lastCopyError(instance));
        }
        if (r.exitCode() != 0) {
            throw failure(instance, r, "could not hand out a database");
        }
        String name = r.stdout().strip();
        if (!PoolScripts.plausibleName(name)) {
            throw new DevDbException(ExitCodes.FAILURE, "the pool of " + instance.name() + " answered '" + name
                    + "' instead of a database name");
        }
        return instance.withDatabase(name);
    }

    /** How full a pool is: its size, and how many of its databases are in each state. */
    public record Status(int size, int ready, int filling, int taken, int dropping) {}

    /**
     * Sets the instance's pool up when it has none (or when {@code size} asks for another size),
     * starts its refillers unless they run, and says how full it is.
     */
    public Status status(Instance instance, Integer size) {
        ContainerInfo c = container(instance);
        if (size != null) {
            setUp(instance, c, size);
        }
        String sql = "SELECT s.size, SUM(p.state = 'ready'), SUM(p.state = 'filling'), SUM(p.state = 'taken'), "
                + "SUM(p.state = 'dropping') FROM " + PoolScripts.CONTROL_DB + ".settings s LEFT JOIN "
                + PoolScripts.CONTROL_DB + ".pool p ON TRUE WHERE s.id = 1 GROUP BY s.size";
        ExecResult r = callWithRefiller(instance, sql);
        if (r.exitCode() != 0 && size == null && missing(r)) {
            setUp(instance, c, DEFAULT_SIZE);
            r = callWithRefiller(instance, sql);
        }
        if (r.exitCode() != 0) {
            throw failure(instance, r, "could not be read");
        }
        List<String> row = ServerClient.row(r.stdout().strip());
        return new Status(count(row, 0), count(row, 1), count(row, 2), count(row, 3), count(row, 4));
    }

    private static int count(List<String> row, int i) {
        return i < row.size() && row.get(i) != null && !row.get(i).isEmpty() ? Integer.parseInt(row.get(i)) : 0;
    }

    /**
     * Drops a database the pool handed out, with the application account's grant on it.
     *
     * @throws DevDbException with {@link ExitCodes#USAGE} for a name that is not one, or that the
     *     pool did not hand out
     */
    public void drop(Instance instance, String database) {
        checkDatabase(database);
        container(instance);
        ExecResult r = client(instance, List.of("--execute=CALL " + PoolScripts.CONTROL_DB + ".drop_database("
                + Sql.literal(database) + ")"));
        if (r.exitCode() == 0) {
            return;
        }
        int code = errorCode(r);
        if (code == SIGNALLED || missing(r)) {
            throw new DevDbException(ExitCodes.USAGE, "database " + database + " of " + instance.name()
                    + " was not handed out by its pool; devdb drops only databases `devdb db new` made");
        }
        throw failure(instance, r, "could not drop database " + database);
    }

    /** Refuses, with {@link ExitCodes#USAGE}, text that cannot name a database of a pool. */
    public static String checkDatabase(String database) {
        if (!PoolScripts.plausibleName(database)) {
            throw new DevDbException(ExitCodes.USAGE, "database name '" + database + "' is not valid: the pool's "
                    + "databases are named with letters, digits and '_' only (up to 64)");
        }
        return database;
    }

    private ContainerInfo container(Instance instance) {
        if (!instance.running()) {
            throw ServerClient.notRunning(instance);
        }
        return engine.inspect(instance.containerId()).orElseThrow(() -> ServerClient.notRunning(instance));
    }

    /** Sets the pool up, or changes its size: control database, procedures, copy script, refiller. */
    private void setUp(Instance instance, ContainerInfo c, int size) {
        ServerClient client = new ServerClient(engine, instance);
        String database = instance.database();
        if (database == null || instance.user() == null) {
            throw new DevDbException(ExitCodes.USAGE, "instance " + instance.name() + " has no application database "
                    + "and user (its profile sets none), so there is nothing to copy into a pool");
        }
        List<List<String>> rows;
        try {
            rows = client.query("SELECT 'version', VERSION(); SELECT 'template', v FROM _devdb.state WHERE k = 'template'; "
                    + "SELECT 'seed', pos FROM _devdb.seed_db WHERE name = " + Sql.literal(database) + "; "
                    + "SELECT 'object', o.kind, o.name, o.create_stmt, o.sql_mode FROM _devdb.seed_object o "
                    + "JOIN _devdb.seed_db d ON d.pos = o.db_pos WHERE d.name = " + Sql.literal(database)
                    + " ORDER BY o.pos");
        } catch (ServerClient.SqlException e) {
            if (e.unreachable()) {
                throw ServerClient.unreachable(instance, e);
            }
            if (e.code() == NO_DATABASE || e.code() == NO_TABLE) {
                throw new DevDbException(ExitCodes.USAGE, "instance " + instance.name() + " keeps no prepared copy "
                        + "of its seed state to fill a pool from (an older devdb started it); `devdb up --recreate "
                        + instance.name() + "` starts it with one");
            }
            throw new DevDbException(ExitCodes.FAILURE, "reading the seed state of " + instance.name() + " failed: "
                    + e.line(), e);
        }
        String template = null;
        String version = instance.version();
        Integer position = null;
        List<PoolScripts.SeedObject> objects = new ArrayList<>();
        for (List<String> row : rows) {
            switch (row.get(0)) {
                case "version" -> version = row.get(1);
                case "template" -> template = row.get(1);
                case "seed" -> position = Integer.valueOf(row.get(1));
                case "object" -> objects.add(new PoolScripts.SeedObject(row.get(1), row.get(2), row.get(3), row.get(4)));
                default -> { }
            }
        }
        if (!"ready".equals(template)) {
            throw new DevDbException(ExitCodes.USAGE, "instance " + instance.name() + " has no prepared copy of its "
                    + "seed state to fill a pool from" + (template == null ? "" : " (" + template + ")"));
        }
        if (position == null) {
            throw new DevDbException(ExitCodes.USAGE, "the database " + database + " of " + instance.name()
                    + " is not one its seeds left, so there is nothing to copy into a pool");
        }
        String setup = PoolScripts.setup(size, instance.user(), "%", database, instance.flavor(), version);
        write(engine, c.id(), Map.of(
                PoolScripts.COPY_SCRIPT, PoolScripts.copyScript(position, PoolScripts.forCopy(database, objects),
                        logsCopies(c), instance.flavor()).getBytes(StandardCharsets.UTF_8),
                PoolScripts.REFILLER, PoolScripts.refiller(),
                PoolScripts.SETUP_SCRIPT, (Sql.BACKSLASH_ESCAPES + ";\n" + setup).getBytes(StandardCharsets.UTF_8)));
        new ContainerSql(engine).run(c, setup);
    }

    /**
     * Whether the pool's copies go to the binary log: on the primary of replicas (a test's writes into its
     * copy must find the copy on the replicas) and on a {@code --cdc} instance (its connector must have
     * seen the tables whose rows it reads).
     */
    static boolean logsCopies(ContainerInfo c) {
        return "primary".equals(c.label(Labels.ROLE)) || "true".equals(c.label(Labels.CDC));
    }

    /**
     * The files of a container's pool that a container replacing it takes over (see {@link #write});
     * empty when it has no pool, or one set up by a devdb that kept no set-up script.
     */
    static Map<String, byte[]> files(Engine engine, String containerId) {
        Map<String, byte[]> all = engine.readFiles(containerId, PoolScripts.DIRECTORY);
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (String name : PoolScripts.FILES) {
            if (all.get(name) == null) {
                return Map.of();
            }
            files.put(name, all.get(name));
        }
        // this devdb's refiller, which knows how to resume
        files.put(PoolScripts.REFILLER, PoolScripts.refiller());
        return files;
    }

    /** Writes a pool's files (as {@link #files} read them) into a created container; nothing when empty. */
    static void write(Engine engine, String containerId, Map<String, byte[]> files) {
        if (files.isEmpty()) {
            return;
        }
        // into the directory's parent, which exists: a copy into a container creates no target directory
        int slash = PoolScripts.DIRECTORY.lastIndexOf('/');
        Map<String, byte[]> paths = new java.util.LinkedHashMap<>();
        files.forEach((name, bytes) -> paths.put(PoolScripts.DIRECTORY.substring(slash + 1) + "/" + name, bytes));
        engine.writeFiles(containerId, PoolScripts.DIRECTORY.substring(0, slash), paths);
    }

    /**
     * In a container that took a pool's files over, once its server is ready: sets the pool up again
     * when its data lacks it (data from the cache) and starts the refillers.
     *
     * @return null, or what went wrong
     */
    static String resume(Engine engine, String containerId, Flavor flavor, String rootPassword) {
        ExecResult r = engine.exec(containerId, PoolScripts.resume(flavor, true), Map.of("MYSQL_PWD", rootPassword));
        if (r.exitCode() == 0) {
            return null;
        }
        String said = r.stderr().strip().lines().filter(l -> !l.contains("[Warning]")).findFirst().orElse("");
        return said.isEmpty() ? "exit code " + r.exitCode() : said;
    }

    /** Runs one statement as root, after starting the refillers in the background unless they run. */
    private ExecResult callWithRefiller(Instance instance, String sql) {
        String script = PoolScripts.DIRECTORY + "/" + PoolScripts.REFILLER;
        List<String> command = List.of("sh", "-c",
                "if [ -f \"$1\" ]; then w=1; while [ $w -le " + PoolScripts.WORKERS + " ]; do "
                        + "setsid bash \"$1\" \"$0\" $w </dev/null >/dev/null 2>&1 & w=$((w + 1)); done; fi; "
                        + "exec \"$0\" --user=root --batch --skip-column-names --execute=\"$2\"",
                instance.flavor().client(), script, sql);
        return engine.exec(instance.containerId(), command, Map.of("MYSQL_PWD", instance.rootPassword()));
    }

    /** What the refiller's last failed copy said, as a clause; empty when it said nothing. */
    private String lastCopyError(Instance instance) {
        ExecResult r = engine.exec(instance.containerId(), List.of("cat", PoolScripts.DIRECTORY + "/" + PoolScripts.ERRORS),
                Map.of());
        String line = r.exitCode() != 0 ? "" : r.stdout().lines().filter(l -> l.startsWith("ERROR"))
                .findFirst().orElse("");
        return line.isEmpty() ? "" : "; its last copy failed: " + line.strip();
    }

    private ExecResult client(Instance instance, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(instance.flavor().client(), "--user=root", "--batch",
                "--skip-column-names"));
        command.addAll(arguments);
        return engine.exec(instance.containerId(), command, Map.of("MYSQL_PWD", instance.rootPassword()));
    }

    /** Whether the pool is not set up: its database or procedures are missing. */
    private static boolean missing(ExecResult r) {
        int code = errorCode(r);
        return code == NO_DATABASE || code == NO_PROCEDURE || code == NO_TABLE;
    }

    private static int errorCode(ExecResult r) {
        Matcher m = firstError(r);
        return m == null ? 0 : Integer.parseInt(m.group(1));
    }

    private static Matcher firstError(ExecResult r) {
        for (String line : r.stderr().lines().toList()) {
            Matcher m = ERROR.matcher(line.strip());
            if (m.matches()) {
                return m;
            }
        }
        return null;
    }

    private static DevDbException failure(Instance instance, ExecResult r, String what) {
        Matcher m = firstError(r);
        if (m != null && Integer.parseInt(m.group(1)) >= 2000 && Integer.parseInt(m.group(1)) < 3000) {
            return new DevDbException(ExitCodes.NO_INSTANCE, "the server in " + instance.name() + " does not answer ("
                    + m.group(0) + "); is it still starting or restarting? `devdb ps` shows its state");
        }
        String said = m != null ? m.group(3) : r.stderr().strip().lines().reduce((a, b) -> b).orElse("exit code "
                + r.exitCode());
        return new DevDbException(ExitCodes.FAILURE, "the pool of " + instance.name() + " " + what + ": " + said);
    }
}
