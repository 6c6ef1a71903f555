package dev.devdb.cli;

import dev.devdb.core.Sessions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "shell", mixinStandardHelpOptions = true, description = {
        "Open the server's own client (mysql or mariadb) inside the instance.",
        "On a terminal: an interactive session, as with `docker exec -it`.",
        "Otherwise the SQL given with -e, or standard input read to its end",
        "(`devdb shell < dump.sql`), runs in batch mode: tab-separated output",
        "on stdout, errors on stderr.",
        "Exits with the client's exit code."})
final class ShellCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Name name;

    @Option(names = {"-D", "--database"}, paramLabel = "DB", description = "Database to use (default: the profile's).")
    String database;

    @Option(names = "--root", description = "Log in as root instead of the profile's user.")
    boolean root;

    @Option(names = {"-e", "--execute"}, paramLabel = "SQL", description = "Run these statements and exit.")
    String sql;

    ShellCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.out().flush();
        context.err().flush();
        Sessions sessions = new Sessions(context.engine(), context.instances());
        Sessions.ShellRequest request = new Sessions.ShellRequest(name.get(), database, root, sql);
        if (sql == null && context.stdinTerminal() && context.stdoutTerminal()) {
            try (LocalTerminal terminal = LocalTerminal.open()) {
                return sessions.shell(request, terminal.io());
            }
        }
        return sessions.shell(request, new Sessions.Io(context.in(), context.rawOut(), context.rawErr(), null));
    }
}
