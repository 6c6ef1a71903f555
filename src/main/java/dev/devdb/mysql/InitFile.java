package dev.devdb.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The init file of a start from initialised data. The data carries the credentials of the instance it
 * was made by; the server runs this file before it accepts connections: it sets this instance's
 * passwords (all in one statement: MariaDB keeps the accounts in an Aria table and syncs its log at
 * every statement's end), then records the accounts as this instance has them, for resets inside the
 * server (data made by an older devdb has no procedure for that). Not binary-logged.
 *
 * <p>One template, rendered two ways: as SQL from given values ({@link #sql}), and as bash that writes
 * the same SQL from the container's environment ({@link #writer}), which a container started from
 * initialised data runs before the server: nothing has to be copied into it first.
 */
public final class InitFile {
    /**
     * Where a container writes the file: on the tmpfs the engine mounts at {@code /dev} (Docker and
     * Podman alike), which is no part of the container's layer, so no image committed from the
     * container holds it. Mode 1777, as {@code /tmp}: the server's user reads the file it owns there.
     */
    public static final String PATH = "/dev/shm/devdb-init.sql";
    public static final String ROOT_PASSWORD = "MYSQL_ROOT_PASSWORD";
    public static final String USER = "MYSQL_USER";
    public static final String PASSWORD = "MYSQL_PASSWORD";

    private InitFile() {}

    /** Text as it is, a string literal of an environment variable, or parts only there when a variable is set. */
    private sealed interface Part permits Text, Literal, IfSet {}

    private record Text(String text) implements Part {}

    private record Literal(String variable) implements Part {}

    private record IfSet(String variable, List<Part> parts) implements Part {}

    /** The file, with {@code cdcPasswordVariable} the variable of the CDC connector's password. */
    private static List<Part> template(String cdcPasswordVariable) {
        List<Part> parts = new ArrayList<>();
        parts.add(new Text("SET SQL_LOG_BIN=0;\n" + Sql.BACKSLASH_ESCAPES + ";\n"
                + "ALTER USER IF EXISTS 'root'@'%' IDENTIFIED BY "));
        parts.add(new Literal(ROOT_PASSWORD));
        parts.add(new Text(",\n  'root'@'localhost' IDENTIFIED BY "));
        parts.add(new Literal(ROOT_PASSWORD));
        parts.add(new Text(",\n  "));
        parts.add(new Literal(USER));
        parts.add(new Text("@'%' IDENTIFIED BY "));
        parts.add(new Literal(PASSWORD));
        parts.add(new IfSet(cdcPasswordVariable, List.of(new Text(",\n  " + Sql.literal(Binlog.CDC_USER)
                + "@'%' IDENTIFIED BY "), new Literal(cdcPasswordVariable))));
        parts.add(new Text(";\n"
                + "SET @devdb_on_start = (SELECT IF(COUNT(*) > 0, 'CALL `_devdb`.`on_start`()', 'DO 0')"
                + " FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '_devdb' AND ROUTINE_NAME = 'on_start');\n"
                + "PREPARE devdb_on_start FROM @devdb_on_start;\nEXECUTE devdb_on_start;\nDEALLOCATE PREPARE devdb_on_start;\n"));
        return parts;
    }

    /** The file for these environment values (an unset variable is an empty string; the optional parts need a value). */
    public static String sql(Map<String, String> env, String cdcPasswordVariable) {
        StringBuilder b = new StringBuilder();
        render(template(cdcPasswordVariable), env, b);
        return b.toString();
    }

    private static void render(List<Part> parts, Map<String, String> env, StringBuilder b) {
        for (Part p : parts) {
            if (p instanceof Text t) {
                b.append(t.text());
            } else if (p instanceof Literal l) {
                b.append(Sql.literal(env.getOrDefault(l.variable(), "")));
            } else if (p instanceof IfSet s) {
                String v = env.get(s.variable());
                if (v != null && !v.isEmpty()) {
                    render(s.parts(), env, b);
                }
            }
        }
    }

    /**
     * A bash command that writes the file to {@code path} from its environment, readable by its owner
     * only: the {@code mysql} user the server runs as (or, when not started as root, the user it runs
     * as). Builtins but for one {@code chown}; the string literals are quoted as {@link Sql#literal}
     * quotes them.
     */
    public static String writer(String path, String cdcPasswordVariable) {
        StringBuilder b = new StringBuilder();
        b.append("_devdb_q() { local s=${2//\\\\/\\\\\\\\}; s=${s//\\'/\\'\\'}; s=${s//$'\\n'/\\\\n};"
                + " s=${s//$'\\r'/\\\\r}; printf -v \"$1\" \"'%s'\" \"$s\"; }; umask 077; { ");
        writeParts(template(cdcPasswordVariable), b);
        b.append("} >").append(path).append(" && umask 022 && { chown mysql ").append(path)
                .append(" 2>/dev/null || true; }");
        return b.toString();
    }

    private static void writeParts(List<Part> parts, StringBuilder b) {
        for (Part p : parts) {
            if (p instanceof Text t) {
                b.append("printf %s ").append(shellQuote(t.text())).append("; ");
            } else if (p instanceof Literal l) {
                b.append("_devdb_q _devdb_v \"${").append(l.variable()).append(":-}\"; printf %s \"$_devdb_v\"; ");
            } else if (p instanceof IfSet s) {
                b.append("if [ -n \"${").append(s.variable()).append(":-}\" ]; then ");
                writeParts(s.parts(), b);
                b.append("fi; ");
            }
        }
    }

    /** A word bash takes as this text exactly: in single quotes, each single quote closed, escaped and reopened. */
    static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
