package dev.devdb.cli;

import dev.devdb.core.ConnectionVariables;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "env", description = {"Print an instance's connection details as environment variables.",
        "MYSQL_HOST, MYSQL_TCP_PORT, MYSQL_USER, MYSQL_PWD, MYSQL_DATABASE, DATABASE_URL and JDBC_URL;",
        "in a shell: eval \"$(devdb env)\". --json is --format json."})
final class EnvCommand implements Callable<Integer> {
    private final Context context;

    enum Format {
        SHELL,
        DOTENV,
        JSON,
        GITHUB
    }

    /** Lower-case, as the help spells them. */
    static final class FormatNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("shell", "dotenv", "json", "github").iterator();
        }
    }

    @Mixin
    SharedOptions.Name name;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "shell",
            completionCandidates = FormatNames.class,
            description = "shell (export lines, the default), dotenv, json, or github (appends to the files"
                    + " $GITHUB_ENV and $GITHUB_OUTPUT name).")
    Format format;

    @Mixin
    SharedOptions.Json json;

    @Mixin
    SharedOptions.Quiet quiet;

    EnvCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        Instance i = context.instances().running(name.get());
        Map<String, String> variables = ConnectionVariables.of(i);
        switch (json.on() ? Format.JSON : format) {
            case SHELL -> context.out().print(EnvFormats.shell(variables));
            case DOTENV -> context.out().print(EnvFormats.dotenv(variables));
            case JSON -> Json.print(context.out(), variables);
            case GITHUB -> github(i, variables);
        }
        context.out().flush();
        String forward = quiet.on() ? null : context.instances().forwardNote(i);
        if (forward != null) {
            context.err().println("devdb: " + forward);
            context.err().flush();
        }
        return ExitCodes.OK;
    }

    private void github(Instance i, Map<String, String> variables) throws IOException {
        String envFile = context.env().get("GITHUB_ENV");
        String outputFile = context.env().get("GITHUB_OUTPUT");
        if (blank(envFile) && blank(outputFile)) {
            throw new DevDbException(ExitCodes.USAGE, "--format github appends to the files named by GITHUB_ENV and"
                    + " GITHUB_OUTPUT, and neither is set; GitHub Actions sets them, elsewhere use --format shell");
        }
        if (i.password() != null && !i.password().isEmpty()) {
            // a workflow command: the runner hides the password wherever it would appear in the log
            context.out().println("::add-mask::" + i.password());
        }
        List<String> wrote = new ArrayList<>();
        if (!blank(envFile)) {
            append(envFile, EnvFormats.github(variables, delimiter()));
            wrote.add(variables.size() + " variables to $GITHUB_ENV");
        }
        if (!blank(outputFile)) {
            Map<String, String> outputs = ConnectionVariables.outputs(i);
            append(outputFile, EnvFormats.github(outputs, delimiter()));
            wrote.add(outputs.size() + " step outputs to $GITHUB_OUTPUT");
        }
        if (!quiet.on()) {
            context.err().println("devdb: wrote " + String.join(" and ", wrote) + " for " + i.name());
            context.err().flush();
        }
    }

    private static String delimiter() {
        return "ghadelimiter_" + UUID.randomUUID();
    }

    private static void append(String file, String text) throws IOException {
        Files.writeString(Path.of(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
