package dev.devdb.mysql;

import com.github.shyiko.mysql.binlog.network.Authenticator;
import com.github.shyiko.mysql.binlog.network.protocol.GreetingPacket;
import com.github.shyiko.mysql.binlog.network.protocol.PacketChannel;
import com.github.shyiko.mysql.binlog.network.protocol.command.AuthenticateSHA2Command;
import com.github.shyiko.mysql.binlog.network.protocol.command.AuthenticateSecurityPasswordCommand;
import com.github.shyiko.mysql.binlog.network.protocol.command.Command;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One client session with a server over its classic protocol, for running statements and seeing
 * exactly what the server answered: the type of each column as it was sent, every value as text,
 * warnings, errors with their SQLSTATE. The handshake and authentication (native and caching_sha2
 * passwords, the latter with the server's RSA key when it has no cached hash) are the binary log
 * client's, which devdb ships already; the rest of the text protocol is read here. Each call sends
 * one statement; session state (variables, temporary tables, transactions) carries from one to the next.
 *
 * <p>The session does not ask for multiple results, so a stored procedure that returns rows fails
 * with the server's error 1312, alike on every server.
 */
public final class SqlSession implements AutoCloseable {
    /** The client error when the connection broke during a statement. */
    static final int LOST_CONNECTION = 2013;
    /** The client error for statements after the connection broke. */
    static final int GONE_AWAY = 2006;
    private static final int SERVER_MORE_RESULTS_EXIST = 0x0008;
    private static final int UNSIGNED_FLAG = 32;
    private static final int ENUM_FLAG = 256;
    private static final int SET_FLAG = 2048;
    private static final int BINARY_CHARSET = 63;

    private final PacketChannel channel;
    private final String serverVersion;
    /** MySQL's EXPLAIN JSON format version in this session, or null where the server has no such variable. */
    private final String explainFormat;
    private boolean broken;

    private SqlSession(PacketChannel channel, String serverVersion) throws IOException {
        this.channel = channel;
        this.serverVersion = serverVersion;
        Raw names = query("SET NAMES utf8mb4");
        if (names.error != null) {
            throw new IOException("SET NAMES utf8mb4 failed: " + names.error.message());
        }
        Raw format = query("SELECT @@SESSION.explain_json_format_version");
        this.explainFormat = format.error == null && format.rows.size() == 1 && format.rows.get(0).get(0) != null
                && format.rows.get(0).get(0).matches("\\d{1,3}") ? format.rows.get(0).get(0) : null;
    }

    /**
     * Connects and authenticates.
     *
     * @param database the default database, or null
     * @throws IOException when the server cannot be reached or refuses the credentials
     */
    public static SqlSession open(String host, int port, String user, String password, String database,
            int connectTimeoutMillis) throws IOException {
        return open(host, port, user, password, database, connectTimeoutMillis, false);
    }

    /**
     * Connects and authenticates.
     *
     * @param database the default database, or null
     * @param procedures ask for multiple results, as the command-line clients do: then a procedure may run
     *     statements that return rows (its own SELECTs, prepared statements) and be called all the same
     * @throws IOException when the server cannot be reached or refuses the credentials
     */
    public static SqlSession open(String host, int port, String user, String password, String database,
            int connectTimeoutMillis, boolean procedures) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            socket.setSoTimeout(connectTimeoutMillis);
            PacketChannel channel = procedures ? new MultiResultsChannel(socket, database != null)
                    : new PacketChannel(socket);
            byte[] first = channel.read();
            if ((first[0] & 0xff) == 0xff) {
                throw new IOException(error(first).message());
            }
            GreetingPacket greeting = new GreetingPacket(first);
            new Authenticator(greeting, channel, database, user, password).authenticate();
            channel.authenticationComplete();
            socket.setSoTimeout(0);
            return new SqlSession(channel, greeting.getServerVersion());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * A channel whose handshake response asks for multiple results (CLIENT_MULTI_RESULTS) besides what the
     * binary log client asks for: its long flag, protocol 4.1, secure connection and plugin authentication
     * (with length-encoded data for caching_sha2_password), and the default database when one is given.
     */
    private static final class MultiResultsChannel extends PacketChannel {
        private static final int LONG_FLAG = 0x4;
        private static final int CONNECT_WITH_DB = 0x8;
        private static final int PROTOCOL_41 = 0x200;
        private static final int SECURE_CONNECTION = 0x8000;
        private static final int MULTI_RESULTS = 0x20000;
        private static final int PLUGIN_AUTH = 0x80000;
        private static final int PLUGIN_AUTH_LENENC_DATA = 0x200000;
        private final int capabilities;

        MultiResultsChannel(Socket socket, boolean database) throws IOException {
            super(socket);
            this.capabilities = LONG_FLAG | PROTOCOL_41 | SECURE_CONNECTION | PLUGIN_AUTH | MULTI_RESULTS
                    | (database ? CONNECT_WITH_DB : 0);
        }

        @Override
        public void write(Command command) throws IOException {
            if (command instanceof AuthenticateSHA2Command sha2) {
                sha2.setClientCapabilities(capabilities | PLUGIN_AUTH_LENENC_DATA);
            } else if (command instanceof AuthenticateSecurityPasswordCommand classic) {
                classic.setClientCapabilities(capabilities);
            }
            super.write(command);
        }
    }

    /** The version string the server greeted with. */
    public String serverVersion() {
        return serverVersion;
    }

    /**
     * Runs one statement and reports what it did; a broken connection is reported as the client's
     * error (2013, then 2006 for every later statement), as the clients do.
     *
     * @param explain also return its plan, when EXPLAIN takes it (asked before it runs)
     */
    public Outcome run(String sql, boolean explain) {
        if (broken) {
            return Outcome.failed(new Outcome.Condition("Error", GONE_AWAY, "HY000", "Server has gone away"));
        }
        try {
            List<Outcome.PlanStep> plan = explain && Plans.explainable(sql) ? plan(sql) : null;
            Raw raw = query(sql);
            if (raw.error != null) {
                return Outcome.failed(raw.error).withPlan(plan);
            }
            List<Outcome.Condition> warnings = new ArrayList<>();
            if (raw.warningCount > 0) {
                Raw shown = query("SHOW WARNINGS");
                for (List<String> row : shown.rows) {
                    warnings.add(new Outcome.Condition(row.get(0), parseInt(row.get(1)), null, row.get(2)));
                }
            }
            return new Outcome(raw.columns, raw.rows, raw.affected, List.copyOf(warnings), null, plan);
        } catch (IOException e) {
            broken = true;
            return Outcome.failed(new Outcome.Condition("Error", LOST_CONNECTION, "HY000",
                    "Lost connection to server during query"));
        }
    }

    /**
     * Runs one statement and returns its rows, without asking for its warnings.
     *
     * @throws IOException when the connection broke
     * @throws Failure with the server's error
     */
    public List<List<String>> execute(String sql) throws IOException, Failure {
        Raw raw = query(sql);
        if (raw.error != null) {
            throw new Failure(raw.error);
        }
        return raw.rows;
    }

    /** The server refused a statement: its error as the command-line client prints it. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Outcome.Condition condition;

        Failure(Outcome.Condition condition) {
            super("ERROR " + condition.code() + (condition.sqlState() == null ? "" : " (" + condition.sqlState() + ")")
                    + ": " + condition.message());
            this.condition = condition;
        }

        /** The server's error number. */
        public int code() {
            return condition.code();
        }

        /** The server's own words. */
        public String text() {
            return condition.message();
        }
    }

    /**
     * Resets the session to the state of a new one (COM_RESET_CONNECTION): variables, the default
     * database's settings, temporary tables and prepared statements; the connection and its user stay.
     */
    public void resetSession() throws IOException, Failure {
        channel.write(() -> new byte[] {0x1f});
        Raw raw = result();
        if (raw.error != null) {
            throw new Failure(raw.error);
        }
    }

    /**
     * Sends one statement and quits without waiting for its answer; the session is closed. The server
     * runs the statement to its end: it looks at the connection again only to answer, and finds the quit
     * already waiting behind the statement.
     */
    public void leave(String sql) throws IOException {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        byte[] command = new byte[text.length + 1];
        command[0] = 0x03;
        System.arraycopy(text, 0, command, 1, text.length);
        broken = true;
        try {
            channel.write(() -> command);
            channel.write(() -> new byte[] {0x01});
        } finally {
            channel.close();
        }
    }

    /** The statement's plan, or an empty one when the server cannot explain it. */
    private List<Outcome.PlanStep> plan(String sql) throws IOException {
        if (explainFormat != null && !"1".equals(explainFormat)) {
            query("SET SESSION explain_json_format_version = 1");
        }
        try {
            Raw explained = query("EXPLAIN FORMAT=JSON " + sql);
            if (explained.error != null || explained.rows.isEmpty() || explained.rows.get(0).isEmpty()) {
                return null;
            }
            try {
                return Plans.reduce(explained.rows.get(0).get(0));
            } catch (IllegalArgumentException e) {
                return null;
            }
        } finally {
            if (explainFormat != null && !"1".equals(explainFormat)) {
                query("SET SESSION explain_json_format_version = " + explainFormat);
            }
        }
    }

    /** A statement's answer as the protocol gives it. */
    private record Raw(List<Outcome.Column> columns, List<List<String>> rows, long affected, int warningCount,
            Outcome.Condition error) {}

    private Raw query(String sql) throws IOException {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        byte[] command = new byte[text.length + 1];
        command[0] = 0x03;
        System.arraycopy(text, 0, command, 1, text.length);
        channel.write(() -> command);
        Raw first = result();
        Raw last = first;
        long affected = first.affected;
        while (last.error == null && (status & SERVER_MORE_RESULTS_EXIST) != 0) {
            last = result();
            affected += last.affected;
        }
        if (last.error != null) {
            return last;
        }
        return new Raw(first.columns, first.rows, affected, last.warningCount, null);
    }

    /** The server status flags of the last OK or end-of-rows packet. */
    private int status;

    /** Reads one result: OK, error, or a result set. */
    private Raw result() throws IOException {
        byte[] p = channel.read();
        int head = p[0] & 0xff;
        if (head == 0xff) {
            status = 0;
            return new Raw(List.of(), List.of(), 0, 0, error(p));
        }
        if (head == 0x00) {
            Reader r = new Reader(p, 1);
            long affected = r.lenenc();
            r.lenenc();
            status = r.int2();
            int warnings = r.int2();
            return new Raw(List.of(), List.of(), affected, warnings, null);
        }
        if (head == 0xfb) {
            throw new IOException("the server asked for a local file");
        }
        int count = (int) new Reader(p, 0).lenenc();
        List<Outcome.Column> columns = new ArrayList<>(count);
        boolean[] hex = new boolean[count];
        for (int i = 0; i < count; i++) {
            Reader r = new Reader(channel.read(), 0);
            r.lenencString(); // catalog
            r.lenencString(); // schema
            r.lenencString(); // table
            r.lenencString(); // original table
            String name = r.lenencString();
            r.lenencString(); // original name
            r.lenenc(); // length of the fixed fields
            int charset = r.int2();
            long length = r.int4();
            int type = r.int1();
            int flags = r.int2();
            columns.add(new Outcome.Column(name, typeName(type, flags, charset, length)));
            hex[i] = charset == BINARY_CHARSET && isStringType(type);
        }
        byte[] eof = channel.read();
        if ((eof[0] & 0xff) == 0xff) {
            return new Raw(List.of(), List.of(), 0, 0, error(eof));
        }
        List<List<String>> rows = new ArrayList<>();
        while (true) {
            byte[] row = channel.read();
            int h = row[0] & 0xff;
            if (h == 0xfe && row.length < 9) {
                Reader r = new Reader(row, 1);
                int warnings = r.int2();
                status = r.int2();
                return new Raw(List.copyOf(columns), List.copyOf(rows), 0, warnings, null);
            }
            if (h == 0xff) {
                status = 0;
                return new Raw(List.of(), List.of(), 0, 0, error(row));
            }
            Reader r = new Reader(row, 0);
            List<String> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] value = r.lenencBytes();
                values.add(value == null ? null
                        : hex[i] ? "0x" + HexFormat.of().withUpperCase().formatHex(value)
                        : new String(value, StandardCharsets.UTF_8));
            }
            rows.add(java.util.Collections.unmodifiableList(values));
        }
    }

    static Outcome.Condition error(byte[] p) {
        Reader r = new Reader(p, 1);
        int code = r.int2();
        String state = null;
        if (r.pos < p.length && p[r.pos] == '#') {
            state = new String(p, r.pos + 1, Math.min(5, p.length - r.pos - 1), StandardCharsets.US_ASCII);
            r.pos = Math.min(p.length, r.pos + 6);
        }
        return new Outcome.Condition("Error", code, state, new String(p, r.pos, p.length - r.pos, StandardCharsets.UTF_8));
    }

    /** The SQL name of a column type as the server sent it (as JDBC drivers name them). */
    static String typeName(int type, int flags, int charset, long length) {
        boolean binary = charset == BINARY_CHARSET;
        String unsigned = (flags & UNSIGNED_FLAG) != 0 ? " UNSIGNED" : "";
        return switch (type) {
            case 0, 246 -> "DECIMAL" + unsigned;
            case 1 -> "TINYINT" + unsigned;
            case 2 -> "SMALLINT" + unsigned;
            case 3 -> "INT" + unsigned;
            case 4 -> "FLOAT" + unsigned;
            case 5 -> "DOUBLE" + unsigned;
            case 6 -> "NULL";
            case 7 -> "TIMESTAMP";
            case 8 -> "BIGINT" + unsigned;
            case 9 -> "MEDIUMINT" + unsigned;
            case 10, 14 -> "DATE";
            case 11 -> "TIME";
            case 12 -> "DATETIME";
            case 13 -> "YEAR";
            case 16 -> "BIT";
            case 245 -> "JSON";
            case 247 -> "ENUM";
            case 248 -> "SET";
            case 255 -> "GEOMETRY";
            case 249, 250, 251, 252 -> (length <= 255 ? "TINY" : length <= 65_535 ? "" : length <= 16_777_215
                    ? "MEDIUM" : "LONG") + (binary ? "BLOB" : "TEXT");
            case 15, 253 -> (flags & ENUM_FLAG) != 0 ? "ENUM" : (flags & SET_FLAG) != 0 ? "SET"
                    : binary ? "VARBINARY" : "VARCHAR";
            case 254 -> (flags & ENUM_FLAG) != 0 ? "ENUM" : (flags & SET_FLAG) != 0 ? "SET" : binary ? "BINARY" : "CHAR";
            default -> "TYPE " + type;
        };
    }

    private static boolean isStringType(int type) {
        return type == 15 || type == 16 || type == 253 || type == 254 || (type >= 249 && type <= 252) || type == 255;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        try {
            if (!broken) {
                channel.write(() -> new byte[] {0x01});
            }
        } catch (IOException e) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }

    /** Reads the protocol's integers and strings from a packet. */
    static final class Reader {
        private final byte[] p;
        private int pos;

        Reader(byte[] p, int pos) {
            this.p = p;
            this.pos = pos;
        }

        int int1() {
            return p[pos++] & 0xff;
        }

        int int2() {
            int v = (p[pos] & 0xff) | (p[pos + 1] & 0xff) << 8;
            pos += 2;
            return v;
        }

        long int4() {
            long v = (p[pos] & 0xffL) | (p[pos + 1] & 0xffL) << 8 | (p[pos + 2] & 0xffL) << 16 | (p[pos + 3] & 0xffL) << 24;
            pos += 4;
            return v;
        }

        long lenenc() {
            int first = int1();
            switch (first) {
                case 0xfc:
                    return int2();
                case 0xfd: {
                    long v = (p[pos] & 0xffL) | (p[pos + 1] & 0xffL) << 8 | (p[pos + 2] & 0xffL) << 16;
                    pos += 3;
                    return v;
                }
                case 0xfe: {
                    long v = int4() | int4() << 32;
                    return v;
                }
                default:
                    return first;
            }
        }

        /** A length-encoded string's bytes, or null for SQL NULL (0xfb). */
        byte[] lenencBytes() {
            if ((p[pos] & 0xff) == 0xfb) {
                pos++;
                return null;
            }
            int length = (int) lenenc();
            byte[] b = java.util.Arrays.copyOfRange(p, pos, pos + length);
            pos += length;
            return b;
        }

        String lenencString() {
            byte[] b = lenencBytes();
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }
    }
}
