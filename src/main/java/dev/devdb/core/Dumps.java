package dev.devdb.core;

import dev.devdb.engine.AttachedExec;
import dev.devdb.engine.Engine;
import dev.devdb.engine.FileCopy;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Flavor;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Logical dumps out of an instance and imports into one, streamed both ways. */
public final class Dumps {
    private final Engine engine;
    private final Instances instances;

    public Dumps(Engine engine, Instances instances) {
        this.engine = engine;
        this.instances = instances;
    }

    /**
     * Writes a dump of one database to {@code out}, the tool's diagnostics to {@code err}.
     *
     * @param database the database, or null for the instance's own
     */
    public void dump(String name, String database, OutputStream out, OutputStream err) {
        Instance i = running(name);
        String db = database != null ? database : i.database();
        checkDatabase(db);
        List<String> dump = new ArrayList<>(List.of(i.flavor().dumpTool(), "-uroot", "--single-transaction",
                "--routines", "--triggers", "--events", "--hex-blob", "--no-tablespaces"));
        if (i.flavor() == Flavor.MYSQL) {
            dump.add("--set-gtid-purged=OFF");
        }
        String script = databaseCheck(i.flavor(), "$1") + "exec " + String.join(" ", dump) + " -- \"$1\"";
        int code = run(i, List.of("bash", "-c", script, "devdb-dump", db), out, err);
        checked(i, db, code);
        if (code != 0) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, i.flavor().dumpTool() + " failed in " + i.name()
                    + " (exit code " + code + "); its message is above; `devdb logs " + i.name()
                    + "` shows whether the server stopped");
        }
    }

    /**
     * Runs a .sql or .sql.gz file against a database of the instance. The file is streamed into
     * the container and read there, so its size does not matter.
     */
    public void importFile(String name, Path file, String database, OutputStream out, OutputStream err) {
        checkImportable(file);
        Instance i = running(name);
        String db = database != null ? database : i.database();
        checkDatabase(db);
        String fileName = file.getFileName().toString();
        boolean gzip = fileName.endsWith(".gz");
        String target = "devdb-import-" + Passwords.generate(8) + (gzip ? ".sql.gz" : ".sql");
        engine.copyFiles(i.containerId(), "/tmp", List.of(new FileCopy(target, file, 0644)));
        try {
            String client = i.flavor().client();
            String script = databaseCheck(i.flavor(), "$2") + (gzip ? "gunzip -c -- \"$1\"" : "cat -- \"$1\"")
                    + " | " + client + " -uroot -- \"$2\"";
            int code = run(i, List.of("bash", "-o", "pipefail", "-c", script, "devdb-import", "/tmp/" + target, db),
                    out, err);
            checked(i, db, code);
            if (code != 0) {
                throw new DevDbException(ExitCodes.SEED_FAILED, "importing " + file + " into " + i.name() + "/" + db
                        + " failed (exit code " + code + "); the client's message is above");
            }
        } finally {
            engine.exec(i.containerId(), List.of("rm", "-f", "/tmp/" + target), Map.of());
        }
    }

    /** Exit codes of {@link #databaseCheck}: the database does not exist; the server did not answer. */
    private static final int NO_DATABASE = 90;
    private static final int NO_ANSWER = 91;

    /**
     * Shell that exits {@link #NO_DATABASE} when the database is not there, {@link #NO_ANSWER} (with the
     * client's message) when the server does not answer, before anything is written or read.
     */
    private static String databaseCheck(Flavor flavor, String db) {
        return "if ! out=$(" + flavor.client() + " -uroot -N -B -e 'SELECT 1' -- \"" + db + "\" 2>&1 >/dev/null); then"
                + " case $out in *'ERROR 1049'*) exit " + NO_DATABASE + ";; esac;"
                + " printf '%s\\n' \"$out\" >&2; exit " + NO_ANSWER + "; fi; ";
    }

    private static void checked(Instance i, String db, int code) {
        if (code == NO_DATABASE) {
            throw new DevDbException(ExitCodes.USAGE, i.name() + " has no database " + db + "; create it with `devdb"
                    + " shell " + i.name() + " --root -e 'CREATE DATABASE " + db + "'`, or name another with --database");
        }
        if (code == NO_ANSWER) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "the server in " + i.name() + " does not answer (its"
                    + " client's message is above); `devdb logs " + i.name() + "` shows why");
        }
    }

    /** Refuses, before anything is copied, a path that is no .sql or .sql.gz file, or whose bytes are not one. */
    private static void checkImportable(Path file) {
        String shown = file.toString();
        if (Files.isDirectory(file)) {
            throw new DevDbException(ExitCodes.USAGE, "cannot import " + shown + ": it is a directory; give a .sql or"
                    + " .sql.gz file");
        }
        if (!Files.exists(file)) {
            throw new DevDbException(ExitCodes.USAGE, "cannot import " + shown + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new DevDbException(ExitCodes.USAGE, "cannot import " + shown + ": not a regular file; give a .sql"
                    + " or .sql.gz file (`devdb shell < FILE` reads a pipe)");
        }
        String fileName = file.getFileName().toString();
        if (!fileName.endsWith(".sql") && !fileName.endsWith(".sql.gz")) {
            throw new DevDbException(ExitCodes.USAGE, "cannot import " + shown + ": give a .sql or .sql.gz file");
        }
        byte[] head = new byte[65536];
        int n;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (java.io.IOException e) {
            throw new DevDbException(ExitCodes.USAGE, "cannot import " + shown + ": cannot read it ("
                    + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()) + ")");
        }
        if (fileName.endsWith(".gz")) {
            if (n < 2 || (head[0] & 0xff) != 0x1f || (head[1] & 0xff) != 0x8b) {
                throw new DevDbException(ExitCodes.USAGE, "cannot import " + shown + ": it is not gzip data; name a"
                        + " plain SQL file .sql");
            }
            return;
        }
        for (int k = 0; k < n; k++) {
            if (head[k] == 0) {
                throw new DevDbException(ExitCodes.USAGE, "cannot import " + shown + ": it is not SQL text (a NUL byte"
                        + " at offset " + k + "); a compressed dump is named .sql.gz");
            }
        }
    }

    /**
     * Runs a command as root's client environment, streaming its output; returns its exit code. When
     * the output's reader goes away, the command is ended and this fails with exit code 141.
     */
    private int run(Instance i, List<String> command, OutputStream out, OutputStream err) {
        String token = Passwords.generate(16);
        Map<String, String> env = Map.of("MYSQL_PWD", i.rootPassword(), Sessions.SESSION_VARIABLE, token);
        try {
            AttachedExec exec = engine.execAttached(i.containerId(), command, env, false, null, out, err);
            int code = exec.waitFor();
            if (exec.outputClosed()) {
                Sessions.end(engine, i.containerId(), token);
                throw new DevDbException(ExitCodes.OUTPUT_CLOSED, "standard output was closed before "
                        + command.get(0) + " in " + i.name() + " finished; it was stopped");
            }
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }

    private Instance running(String name) {
        Instance i = instances.get(name);
        if (!i.running()) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "instance " + i.name() + " is " + i.state()
                    + "; start it again with `devdb up --recreate`");
        }
        return i;
    }

    private static void checkDatabase(String db) {
        if (!db.matches("[A-Za-z0-9_$]{1,64}")) {
            throw new DevDbException(ExitCodes.USAGE, "database name '" + db + "' is not valid");
        }
    }
}
