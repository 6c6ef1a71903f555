package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.engine.ExecResult;
import dev.devdb.error.DevDbException;
import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.SeedCopy;
import dev.devdb.mysql.Sql;
import dev.devdb.mysql.SqlScript;
import dev.devdb.mysql.SqlSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The prepared copy of an instance's seed state (see {@link SeedCopy}): made right after the seeds of a
 * new instance, before its data is kept in the cache, so that every instance started from that data has
 * it; and the reset inside the running server that uses it.
 */
final class PreparedCopy {
    /** How long a connection to the server's published port may take before the reset goes through the engine. */
    private static final int CONNECT_MILLIS = 3000;

    private final Engine engine;
    private final ContainerSql sql;

    PreparedCopy(Engine engine) {
        this.engine = engine;
        this.sql = new ContainerSql(engine);
    }

    /** What a reset inside the server did: its time there, and whether it restored the accounts. */
    record Done(Duration server, Duration waited, boolean accounts) {}

    /**
     * Thrown when the reset cannot be done inside the server; nothing was changed when {@link #untouched}.
     */
    static final class Fallback extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean untouched;

        Fallback(String reason, boolean untouched) {
            super(reason);
            this.untouched = untouched;
        }

        boolean untouched() {
            return untouched;
        }
    }

    /**
     * Records the seed state of a server that just ran its seeds and makes its template and spare, and
     * the reset script beside the data.
     *
     * @return null, or why there is no prepared copy (resets then restart the server)
     */
    String make(ContainerInfo c) {
        try {
            return write(c);
        } catch (ServerClient.SqlException | DevDbException | IllegalStateException e) {
            return "making the prepared copy failed: " + e.getMessage();
        }
    }

    private String write(ContainerInfo c) {
        SqlSession session = rootSession(c);
        if (session != null) {
            try (session) {
                return writeOverProtocol(c, session);
            } catch (IOException e) {
                throw new IllegalStateException("the connection to the server broke (" + e.getMessage() + ")", e);
            } catch (SqlSession.Failure e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        ServerClient client = new ServerClient(engine, Instance.of(c, engine.endpoint()));
        SeedCopy.Plan plan = SeedCopy.plan(client.query(SeedCopy.inventoryQuery()));
        SeedCopy.State state = SeedCopy.state(plan, plan.shows().isEmpty() ? List.of()
                : client.query(SeedCopy.showQuery(plan)));
        sql.run(c, SeedCopy.recordScript(state));
        writeResetScript(c, state);
        return state.unsupported();
    }

    /**
     * A session as root on the server's published port, where this machine reaches it; null otherwise (the
     * client in the container is used then).
     */
    private SqlSession rootSession(ContainerInfo c) {
        String pw = c.env().get("MYSQL_ROOT_PASSWORD");
        String bind = PublishedPorts.bind(c.labels());
        if (pw == null || c.hostPort() == null || !PublishedPorts.reachable(engine.endpoint(), bind)) {
            return null;
        }
        try {
            return SqlSession.open(PublishedPorts.clientHost(engine.endpoint(), bind), c.hostPort(), "root", pw, null,
                    CONNECT_MILLIS, true);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The same statements as the client in the container runs, sent one by one over one connection: no
     * process started in the container and no file copied in for them. The session reads as the client's
     * would: utf8mb4, backslashes escaping, unlogged; the SHOW CREATE statements' empty {@code sql_mode}
     * ends with a reset of the session before the record script runs.
     */
    private String writeOverProtocol(ContainerInfo c, SqlSession session) throws IOException, SqlSession.Failure {
        preamble(session);
        SeedCopy.Plan plan = SeedCopy.plan(rows(session, SeedCopy.inventoryQuery()));
        SeedCopy.State state = SeedCopy.state(plan, plan.shows().isEmpty() ? List.of()
                : rows(session, SeedCopy.showQuery(plan)));
        session.resetSession();
        preamble(session);
        // the reset script for the client in the container is copied in while the server records the copy
        FutureTask<Void> script = new FutureTask<>(() -> {
            writeResetScript(c, state);
            return null;
        });
        Thread writer = new Thread(script, "devdb-write-reset-script");
        writer.start();
        try {
            rows(session, SeedCopy.recordScript(state));
        } finally {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevDbException(dev.devdb.error.ExitCodes.INTERRUPTED, "interrupted");
            }
        }
        try {
            script.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevDbException(dev.devdb.error.ExitCodes.INTERRUPTED, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
        return state.unsupported();
    }

    private static void preamble(SqlSession session) throws IOException, SqlSession.Failure {
        session.execute("SET SESSION sql_log_off = ON, SESSION long_query_time = 31536000");
        session.execute(Sql.BACKSLASH_ESCAPES);
        session.execute("SET NAMES utf8mb4");
    }

    /** The rows of every statement of a script, in order. */
    private static List<List<String>> rows(SqlSession session, String script) throws IOException, SqlSession.Failure {
        List<List<String>> rows = new ArrayList<>();
        for (SqlScript.Statement s : SqlScript.split(script)) {
            rows.addAll(session.execute(s.sql()));
        }
        return rows;
    }

    private void writeResetScript(ContainerInfo c, SeedCopy.State state) {
        String dir = SeedCopy.RESET_SCRIPT.substring(0, SeedCopy.RESET_SCRIPT.lastIndexOf('/'));
        engine.writeFiles(c.id(), dir, Map.of(SeedCopy.RESET_SCRIPT.substring(dir.length() + 1),
                SeedCopy.resetScript(state).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Resets the seed databases inside the running server, then starts making the spare again in the
     * background.
     *
     * @throws Fallback when the server must be restarted instead, with the reason
     */
    Done reset(ContainerInfo c) {
        String pw = c.env().get("MYSQL_ROOT_PASSWORD");
        if (pw == null) {
            throw new Fallback("the root password is not in the container's environment", true);
        }
        String bind = PublishedPorts.bind(c.labels());
        if (c.hostPort() != null && PublishedPorts.reachable(engine.endpoint(), bind)) {
            Done done = resetOverProtocol(PublishedPorts.clientHost(engine.endpoint(), bind), c.hostPort(), pw);
            if (done != null) {
                return done;
            }
        }
        return resetByClient(c, pw);
    }

    /**
     * The reset as a client of the server's published port: the statements of the reset script one by one,
     * then {@code prepare()} sent on the same connection, which is left without waiting for it.
     *
     * @return null when nothing was done: the server cannot be reached that way, or its prepared copy has
     *     no recorded statements (made by an older devdb); the client in the container then runs the script
     */
    private static Done resetOverProtocol(String host, int port, String password) {
        SqlSession session;
        try {
            session = SqlSession.open(host, port, "root", password, null, CONNECT_MILLIS, true);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<List<String>> done;
        try {
            List<String> objects = new ArrayList<>();
            try {
                session.execute(SeedCopy.RESET_STATEMENTS).forEach(r -> objects.add(r.get(0)));
            } catch (SqlSession.Failure e) {
                session.close();
                return null;
            }
            try {
                for (String statement : SeedCopy.RESET_BEGIN) {
                    session.execute(statement);
                }
            } catch (SqlSession.Failure e) {
                int mark = e.text().indexOf(SeedCopy.FALLBACK);
                if (mark >= 0) {
                    throw new Fallback(e.text().substring(mark + SeedCopy.FALLBACK.length()).strip(), true);
                }
                throw new Fallback("the reset inside the server failed (" + e.getMessage() + ")", false);
            }
            try {
                for (String statement : objects) {
                    session.execute(statement);
                }
                done = session.execute(SeedCopy.RESET_END);
            } catch (SqlSession.Failure e) {
                throw new Fallback("the reset inside the server failed (" + e.getMessage() + ")", false);
            }
            try {
                session.resetSession();
                for (String statement : SeedCopy.PREPARE.subList(0, SeedCopy.PREPARE.size() - 1)) {
                    session.execute(statement);
                }
                session.leave(SeedCopy.PREPARE.get(SeedCopy.PREPARE.size() - 1));
            } catch (SqlSession.Failure e) {
                throw new Fallback("making the prepared copy again failed (" + e.getMessage() + ")", false);
            }
        } catch (IOException e) {
            throw new Fallback("the connection to the server broke during the reset (" + e.getMessage() + ")", false);
        } finally {
            session.close();
        }
        List<String> row = done.isEmpty() ? List.of() : done.get(0);
        if (row.size() < 3) {
            throw new Fallback("the reset inside the server did not finish", false);
        }
        return new Done(Duration.ofNanos(micros(row.get(0)) * 1000), Duration.ofNanos(micros(row.get(1)) * 1000),
                "1".equals(row.get(2)));
    }

    /** The reset as the client in the container runs it, from the script kept beside the data. */
    private Done resetByClient(ContainerInfo c, String pw) {
        Flavor flavor = Flavor.parse(c.label(Labels.FLAVOR));
        String client = (flavor == null ? Flavor.MYSQL : flavor).client();
        String script = "f=" + SeedCopy.RESET_SCRIPT + "; [ -f \"$f\" ] || { echo 'ERROR 0: " + SeedCopy.FALLBACK
                + "the instance has no prepared copy (made by an older devdb)' >&2; exit 3; }; "
                + "\"$0\" -uroot --batch --skip-column-names --default-character-set=utf8mb4 < \"$f\" || exit $?; "
                + "nohup \"$0\" -uroot --batch -e 'SET SESSION sql_log_bin = 0; SET SESSION sql_log_off = ON; "
                + "CALL `_devdb`.`prepare`()' </dev/null >/dev/null 2>&1 & exit 0";
        ExecResult r = engine.exec(c.id(), List.of("sh", "-c", script, client), Map.of("MYSQL_PWD", pw));
        if (r.exitCode() != 0) {
            String line = r.stderr().lines().filter(l -> l.startsWith("ERROR")).findFirst()
                    .orElse(r.stderr().isBlank() ? "the client exited with code " + r.exitCode() : r.stderr().strip());
            int mark = line.indexOf(SeedCopy.FALLBACK);
            if (mark >= 0) {
                throw new Fallback(line.substring(mark + SeedCopy.FALLBACK.length()).strip(), true);
            }
            throw new Fallback("the reset inside the server failed (" + line.strip() + ")", false);
        }
        for (String line : r.stdout().split("\n")) {
            List<String> row = ServerClient.row(line);
            if (row.size() >= 4 && SeedCopy.DONE.equals(row.get(0))) {
                return new Done(Duration.ofNanos(micros(row.get(1)) * 1000), Duration.ofNanos(micros(row.get(2)) * 1000),
                        "1".equals(row.get(3)));
            }
        }
        throw new Fallback("the reset inside the server did not finish", false);
    }

    private static long micros(String s) {
        return s == null || !s.matches("-?\\d{1,18}") ? 0 : Long.parseLong(s);
    }
}
