package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.engine.ExecResult;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.Sql;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SQL run as root by the client inside an instance's container. The password travels in the
 * exec's environment (MYSQL_PWD); SQL that holds a secret goes through a file copied into the
 * container, so it is in no process's arguments either. Sessions read {@link Sql#literal} literals
 * as meant, whatever the server's sql_mode.
 */
final class ContainerSql {
    private final Engine engine;

    ContainerSql(Engine engine) {
        this.engine = engine;
    }

    /**
     * Runs SQL without secrets and returns the client's output.
     *
     * @param c the container, as inspect returns it (with its environment)
     * @param vertical print rows as {@code name: value} lines instead of tab-separated values
     */
    String query(ContainerInfo c, String sql, boolean vertical) {
        List<String> cmd = new ArrayList<>(List.of(client(c), "-uroot", "--batch"));
        cmd.add(vertical ? "--vertical" : "--skip-column-names");
        cmd.add("-e");
        cmd.add(Sql.BACKSLASH_ESCAPES + ";\n" + sql);
        ExecResult r = engine.exec(c.id(), cmd, Map.of("MYSQL_PWD", rootPassword(c)));
        if (r.exitCode() != 0) {
            throw failure(c, r);
        }
        return r.stdout();
    }

    /** Runs SQL that may hold secrets from a file in the container, removed afterwards. */
    void run(ContainerInfo c, String sql) {
        String file = "/tmp/devdb-" + Passwords.generate(10) + ".sql";
        String text = Sql.BACKSLASH_ESCAPES + ";\n" + sql;
        engine.writeFiles(c.id(), "/tmp", Map.of(file.substring(5), text.getBytes(StandardCharsets.UTF_8)));
        ExecResult r = engine.exec(c.id(), List.of("sh", "-c", "\"$0\" -uroot --batch < \"$1\"; rc=$?; rm -f -- \"$1\"; "
                + "exit $rc", client(c), file), Map.of("MYSQL_PWD", rootPassword(c)));
        if (r.exitCode() != 0) {
            throw failure(c, r);
        }
    }

    private static String client(ContainerInfo c) {
        Flavor flavor = Flavor.parse(c.label(Labels.FLAVOR));
        return (flavor == null ? Flavor.MYSQL : flavor).client();
    }

    private static String rootPassword(ContainerInfo c) {
        String pw = c.env().get("MYSQL_ROOT_PASSWORD");
        if (pw == null) {
            throw new DevDbException(ExitCodes.FAILURE, "the root password of " + c.name()
                    + " is not in its environment; recreate the instance with `devdb up --recreate`");
        }
        return pw;
    }

    private static DevDbException failure(ContainerInfo c, ExecResult r) {
        String message = r.stderr().lines().filter(l -> !l.isBlank() && !l.contains("[Warning]"))
                .findFirst().orElse("exit code " + r.exitCode());
        return new DevDbException(ExitCodes.FAILURE, "SQL in " + c.label(Labels.NAME) + " failed: " + message.trim());
    }
}
