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
        List<String> cmd = new ArrayList<>(List.of(i.flavor().dumpTool(), "-uroot", "--single-transaction",
                "--routines", "--triggers", "--events", "--hex-blob", "--no-tablespaces"));
        if (i.flavor() == Flavor.MYSQL) {
            cmd.add("--set-gtid-purged=OFF");
        }
        cmd.add("--");
        cmd.add(db);
        int code = run(i, cmd, out, err);
        if (code != 0) {
            throw new DevDbException(ExitCodes.FAILURE, i.flavor().dumpTool() + " failed in " + i.name()
                    + " (exit code " + code + "); its message is above");
        }
    }

    /**
     * Runs a .sql or .sql.gz file against a database of the instance. The file is streamed into
     * the container and read there, so its size does not matter.
     */
    public void importFile(String name, Path file, String database, OutputStream out, OutputStream err) {
        Instance i = running(name);
        String db = database != null ? database : i.database();
        checkDatabase(db);
        String fileName = file.getFileName().toString();
        boolean gzip = fileName.endsWith(".gz");
        if (!Files.isRegularFile(file)) {
            throw new DevDbException(ExitCodes.USAGE, "cannot import " + file + ": no such file");
        }
        if (!fileName.endsWith(".sql") && !fileName.endsWith(".sql.gz")) {
            throw new DevDbException(ExitCodes.USAGE, "cannot import " + file + ": give a .sql or .sql.gz file");
        }
        String target = "devdb-import-" + Passwords.generate(8) + (gzip ? ".sql.gz" : ".sql");
        engine.copyFiles(i.containerId(), "/tmp", List.of(new FileCopy(target, file, 0644)));
        try {
            String client = i.flavor().client();
            String script = (gzip ? "gunzip -c -- \"$1\"" : "cat -- \"$1\"") + " | " + client + " -uroot -- \"$2\"";
            int code = run(i, List.of("bash", "-o", "pipefail", "-c", script, "devdb-import", "/tmp/" + target, db),
                    out, err);
            if (code != 0) {
                throw new DevDbException(ExitCodes.FAILURE, "importing " + file + " into " + i.name() + "/" + db
                        + " failed (exit code " + code + "); the server's message is above");
            }
        } finally {
            engine.exec(i.containerId(), List.of("rm", "-f", "/tmp/" + target), Map.of());
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
