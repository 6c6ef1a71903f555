package dev.devdb.core;

import dev.devdb.engine.Engine;
import dev.devdb.engine.ExecResult;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL run as root by the command-line client inside an instance's container, over its socket.
 * The root password travels in the exec's environment (MYSQL_PWD), never in an argument.
 */
public final class ServerClient {
    private static final Pattern ERROR = Pattern.compile("ERROR (\\d+)(?: \\((\\w+)\\))?(?: at line \\d+)?: (.*)");

    /**
     * Keeps devdb's own statements out of the general and slow logs it reads, and makes the session
     * read the literals {@link Sql#literal} writes as meant, whatever the server's sql_mode.
     */
    private static final String PREAMBLE = "SET SESSION sql_log_off = ON, SESSION long_query_time = 31536000; "
            + Sql.BACKSLASH_ESCAPES + "; ";

    private final Engine engine;
    private final Instance instance;

    public ServerClient(Engine engine, Instance instance) {
        this.engine = engine;
        this.instance = instance;
    }

    /** The server refused a statement, or the client could not reach it. */
    public static final class SqlException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;
        private final String line;

        SqlException(int code, String line) {
            super(line);
            this.code = code;
            this.line = line;
        }

        /** The server's error number (1193, 1238, ...), or the client's (2002: no server on the socket); 0 if unknown. */
        public int code() {
            return code;
        }

        /** The client's error line, as it printed it: {@code ERROR 1193 (HY000): Unknown system variable 'x'}. */
        public String line() {
            return line;
        }

        /** Whether the client could not talk to the server at all. */
        public boolean unreachable() {
            return code >= 2000 && code < 3000;
        }
    }

    /**
     * Runs statements and returns the rows of their result sets, in order; SQL NULL is null.
     *
     * @throws SqlException with the server's error when a statement fails
     */
    public List<List<String>> query(String sql) {
        if (!instance.running()) {
            throw notRunning(instance);
        }
        List<String> command = List.of(instance.flavor().client(), "--user=root", "--batch", "--skip-column-names",
                "--default-character-set=utf8mb4", "--execute=" + PREAMBLE + sql);
        ExecResult r = engine.exec(instance.containerId(), command, Map.of("MYSQL_PWD", instance.rootPassword()));
        if (r.exitCode() != 0) {
            for (String line : r.stderr().lines().toList()) {
                Matcher m = ERROR.matcher(line.strip());
                if (m.matches()) {
                    throw new SqlException(Integer.parseInt(m.group(1)), line.strip());
                }
            }
            String text = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
            throw new SqlException(0, text.isEmpty() ? "the client exited with code " + r.exitCode()
                    : text.lines().reduce((a, b) -> b).orElse(text));
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : r.stdout().split("\n", -1)) {
            if (!line.isEmpty()) {
                rows.add(row(line));
            }
        }
        return rows;
    }

    /** The first column of the first row, or null. */
    public String scalar(String sql) {
        List<List<String>> rows = query(sql);
        return rows.isEmpty() || rows.get(0).isEmpty() ? null : rows.get(0).get(0);
    }

    /** One line of the client's batch output: tab-separated, with \t \n \\ \0 escaped and NULL for SQL NULL. */
    static List<String> row(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.split("\t", -1)) {
            cells.add(cell.equals("NULL") ? null : unescape(cell));
        }
        return cells;
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static DevDbException notRunning(Instance i) {
        return new DevDbException(ExitCodes.NO_INSTANCE, "instance " + i.name() + " is not running (" + i.state()
                + "); start it with `docker start " + i.containerName() + "`, or `devdb up --recreate`");
    }

    /** The exception to throw when the client could not reach the server. */
    static DevDbException unreachable(Instance i, SqlException e) {
        return new DevDbException(ExitCodes.NO_INSTANCE, "the server in " + i.name() + " does not answer ("
                + e.line() + "); is it still starting or restarting? `devdb ps` shows its state", e);
    }
}
