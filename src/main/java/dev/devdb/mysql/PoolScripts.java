package dev.devdb.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SQL and the script of an instance's pool of fresh databases: the control database
 * {@value #CONTROL_DB} with the procedures the application calls ({@code devdb-pool.sql}), the
 * refiller that keeps the pool filled inside the container ({@code devdb-pool.sh}), and the copy
 * script the refiller runs for each new database: the seed database's tables and data from its
 * prepared template ({@code _devdb.copy_db}), then its views, routines and triggers, which only a
 * client can create.
 */
public final class PoolScripts {
    /** The pool's control database: hidden from the application account but for two procedures. */
    public static final String CONTROL_DB = "_devdb_pool";
    /** Where the refiller and the copy script live in the container. */
    public static final String DIRECTORY = "/var/lib/devdb/pool";
    public static final String REFILLER = "devdb-pool.sh";
    public static final String COPY_SCRIPT = "template.sql";
    /**
     * The set-up SQL as the pool was last given it, in a session whose backslashes escape: run again
     * on data that lacks the pool (a restart from the cache's data).
     */
    public static final String SETUP_SCRIPT = "setup.sql";
    /** The files devdb writes into {@link #DIRECTORY}, which a container that replaces another takes over. */
    public static final List<String> FILES = List.of(REFILLER, COPY_SCRIPT, SETUP_SCRIPT);
    /** What the last failed copy printed, for the error devdb reports when the pool stays empty. */
    public static final String ERRORS = "refiller.err";
    /** Stands for the new database's name in the copy script; the refiller replaces it. */
    public static final String NAME_MARK = "@DEVDB_POOL_DB@";
    /** How many refillers copy at once. */
    public static final int WORKERS = 4;
    /** The longest a database name may be. */
    public static final int NAME_MAX = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final int RANDOM_HEX = 12;
    private static final String SUFFIX = "_t";

    private PoolScripts() {}

    /** One view, routine or trigger of the seed database, as SHOW CREATE gave it with that database current. */
    public record SeedObject(String kind, String name, String create, String sqlMode) {}

    /**
     * The set-up SQL for a pool of {@code size} databases copied from {@code source}, handed to {@code
     * grantee}, for a server of {@code flavor} that says it is {@code version} (as VERSION() does).
     */
    public static String setup(int size, String user, String host, String source, Flavor flavor, String version) {
        boolean skipLocked = skipsLocked(flavor, version);
        return text("devdb-pool.sql")
                .replace("@SKIP_LOCKED@", skipLocked ? "SKIP LOCKED" : "")
                .replace("@CLAIM_SIDE_BY_SIDE@", skipLocked ? "TRUE" : "FALSE")
                .replace("@SIZE@", Integer.toString(size))
                .replace("@GRANTEE@", Sql.literal(grantee(user, host)))
                .replace("@ACCOUNT@", grantee(user, host))
                .replace("@SOURCE@", Sql.literal(source))
                .replace("@PREFIX@", Sql.literal(prefix(source)));
    }

    /**
     * Whether the server reads past rows other sessions locked ({@code SELECT ... FOR UPDATE SKIP
     * LOCKED}): MySQL since 8.0.1, MariaDB since 10.6. Without it, callers of the pool take their
     * databases one at a time.
     */
    static boolean skipsLocked(Flavor flavor, String version) {
        ServerVersion v = ServerVersion.ofTag(version);
        return flavor == Flavor.MARIADB ? v.atLeast(10, 6) : v.atLeast(8, 0, 1);
    }

    /**
     * The account as GRANT names it ({@code 'app'@'%'}); in set-up SQL it travels as a literal and
     * the procedures put it into their statements as it is.
     */
    static String grantee(String user, String host) {
        return Sql.literal(user) + "@" + Sql.literal(host);
    }

    /** The refiller script. */
    public static byte[] refiller() {
        return text(REFILLER).replace("@DEVDB_POOL_WORKERS@", Integer.toString(WORKERS)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The command that starts the refillers not running, once the server answers, as root with
     * MYSQL_ROOT_PASSWORD; with {@code setUp} (run by devdb on a ready server, MYSQL_PWD given), it
     * first sets the pool up again from {@link #SETUP_SCRIPT} when the data lacks it.
     */
    public static List<String> resume(Flavor flavor, boolean setUp) {
        List<String> command = new ArrayList<>(List.of("bash", DIRECTORY + "/" + REFILLER, "--resume", flavor.client()));
        if (setUp) {
            command.add("--set-up");
        }
        return command;
    }

    /**
     * A shell command (for {@code sh -c}) that starts {@link #resume} in the background, in a session of
     * its own, when the container holds a pool's refiller: an entrypoint runs it before it starts the
     * server.
     */
    public static String resumeInBackground(Flavor flavor) {
        String script = DIRECTORY + "/" + REFILLER;
        return "if [ -f " + script + " ]; then setsid bash " + script + " --resume " + flavor.client()
                + " </dev/null >/dev/null 2>&1 & fi";
    }

    /**
     * The start of every name the pool makes for copies of {@code database}: its letters, digits and
     * underscores (shortened to leave room for the rest), then {@code _t}; a random hexadecimal tail
     * follows.
     */
    public static String prefix(String database) {
        StringBuilder b = new StringBuilder();
        for (char c : database.toCharArray()) {
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '_')) {
                b.append(c);
            }
        }
        int room = NAME_MAX - RANDOM_HEX - SUFFIX.length();
        String base = b.length() == 0 ? "db" : b.substring(0, Math.min(b.length(), room));
        return base + SUFFIX;
    }

    /** Whether the text could name a database of a pool: letters, digits and underscores, 1 to 64. */
    public static boolean plausibleName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * The copy script: records the new name, copies the tables and data of seed database {@code
     * seedPosition} from its template, creates the objects (as {@link #forCopy} gives them), then marks
     * the copy ready. Unless {@code logged}, nothing of the copy goes to the binary log (only the pool's
     * own bookkeeping and grants do); an instance with replicas or a change-data-capture connector logs
     * its copies, so that what a test writes into one replicates and its connector knows the tables, and
     * logs their rows as rows (a MariaDB replica would otherwise copy them from a template of its own).
     */
    public static String copyScript(int seedPosition, List<SeedObject> objects, boolean logged, Flavor flavor) {
        String delimiter = delimiter(objects);
        String quoted = "`" + NAME_MARK + "`";
        String literal = "'" + NAME_MARK + "'";
        StringBuilder b = new StringBuilder();
        b.append("SET NAMES utf8mb4;\n");
        if (!logged) {
            b.append("SET @devdb_pool_log_bin = @@SESSION.sql_log_bin;\n");
            b.append("SET SESSION sql_log_bin = 0;\n");
        } else if (flavor == Flavor.MARIADB) {
            b.append("SET SESSION binlog_format = 'ROW';\n");
        }
        b.append("CALL _devdb.copy_db(").append(seedPosition).append(", ").append(literal).append(");\n");
        b.append("USE ").append(quoted).append(";\n");
        if (!objects.isEmpty()) {
            b.append("DELIMITER ").append(delimiter).append('\n');
            for (SeedObject o : objects) {
                if (o.sqlMode() != null) {
                    b.append("SET SESSION sql_mode = ").append(Sql.literal(o.sqlMode())).append(delimiter).append('\n');
                }
                b.append(o.create()).append(delimiter).append('\n');
            }
            b.append("DELIMITER ;\n");
        }
        if (!logged) {
            b.append("SET SESSION sql_log_bin = @devdb_pool_log_bin;\n");
        }
        b.append("CALL ").append(CONTROL_DB).append(".refill_ready(").append(literal).append(");\n");
        return b.toString();
    }

    /**
     * The objects a copy gets, in an order their creation works in, each as it reads in the copy:
     * routines first (a view may call a function), then views, each after the views it selects from,
     * then triggers. A view's text names the seed database (SHOW CREATE VIEW qualifies every table
     * with it): the copy's views must name their own tables, so that qualifier goes.
     */
    public static List<SeedObject> forCopy(String database, List<SeedObject> objects) {
        List<SeedObject> routines = new ArrayList<>();
        List<SeedObject> views = new ArrayList<>();
        List<SeedObject> triggers = new ArrayList<>();
        String qualifier = "`" + database.replace("`", "``") + "`.";
        for (SeedObject o : objects) {
            switch (o.kind().toUpperCase(Locale.ROOT)) {
                case "PROCEDURE", "FUNCTION" -> routines.add(o);
                case "VIEW" -> views.add(new SeedObject(o.kind(), o.name(), o.create().replace(qualifier, ""),
                        o.sqlMode()));
                case "TRIGGER" -> triggers.add(o);
                default -> { }
            }
        }
        List<SeedObject> ordered = new ArrayList<>(routines);
        List<SeedObject> waiting = new ArrayList<>(views);
        Set<String> made = new HashSet<>();
        while (!waiting.isEmpty()) {
            SeedObject next = waiting.stream().filter(v -> waiting.stream().noneMatch(w -> w != v
                    && !made.contains(w.name()) && mentions(v, w.name()))).findFirst().orElse(waiting.get(0));
            ordered.add(next);
            made.add(next.name());
            waiting.remove(next);
        }
        ordered.addAll(triggers);
        return ordered;
    }

    /** Whether a view's text names another view, as SHOW CREATE VIEW writes names: in backquotes. */
    private static boolean mentions(SeedObject view, String name) {
        return view.create().contains("`" + name.replace("`", "``") + "`");
    }

    /** A client delimiter that none of the objects' texts holds. */
    static String delimiter(List<SeedObject> objects) {
        for (int n = 2;; n++) {
            String d = "$".repeat(n);
            if (objects.stream().noneMatch(o -> o.create().contains(d))) {
                return d;
            }
        }
    }

    private static String text(String resource) {
        try (InputStream in = PoolScripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
