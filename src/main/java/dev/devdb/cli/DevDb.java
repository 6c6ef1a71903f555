package dev.devdb.cli;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * The top-level command; {@link #commandLine} is the one place a CommandLine is wired. Its model is declared
 * through picocli's API rather than annotations (see {@link #model}), as {@code reset}'s is; the other
 * subcommands keep theirs.
 */
public final class DevDb implements Runnable {

    private static final String DESCRIPTION = "Disposable MySQL and MariaDB servers for development and CI.";
    private static final String[] FOOTER = {"", "Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 profile,",
        "4 Docker engine unreachable, 5 image, 6 port in use, 7 name conflict,",
        "8 server failed to start, 9 timeout, 10 no such instance, 11 seed script failed,",
        "12 snapshot missing or of another image, 13 doctor found a problem,",
        "14 image lacks what devdb needs, 15 try found a difference,",
        "130 interrupted, 141 standard output closed early (as by `| head`)."};

    private final Context context;
    private CommandSpec spec;

    private DevDb(Context context) {
        this.context = context;
    }

    /**
     * What {@code @Command(name = "devdb", mixinStandardHelpOptions = true, scope = INHERIT, ...)} with an
     * inherited {@code --verbose} and {@code --scope} would declare. Written out because reading annotations
     * makes the JDK parse them and generate a proxy class per annotation type, which the launcher's class-data
     * archive cannot hold, at every start. ({@code mixinStandardHelpOptions} still reads picocli's own annotated
     * class for {@code -h} and {@code -V}: written out as inherited options, they would clash with the
     * {@code help} command's and with picocli's handling of that attribute.)
     */
    private static CommandSpec model(DevDb top, CommandLine.IFactory factory) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(top, factory)
                .name("devdb")
                .scopeType(ScopeType.INHERIT)
                .versionProvider(new Version());
        spec.usageMessage().description(DESCRIPTION).footer(FOOTER);
        spec.addOption(OptionSpec.builder("--verbose")
                .scopeType(ScopeType.INHERIT)
                .type(boolean.class)
                .initialValue(false)
                .description("Print stack traces of failures.")
                .build());
        spec.addOption(OptionSpec.builder("--scope")
                .scopeType(ScopeType.INHERIT)
                .type(String.class)
                .paramLabel("SCOPE")
                .setter(new ScopeSetter(top.context))
                .description("Stay within this scope: find, list and remove only its instances, cache entries and"
                        + " snapshots (default: DEVDB_SCOPE, else the default scope).")
                .build());
        spec.mixinStandardHelpOptions(true); // after the options, as picocli adds them for annotations
        top.spec = spec;
        return spec;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The subcommands by name, in the order help lists them. Each name is the one its class's {@code @Command}
     * gives (a test holds them together): written out, because reading the annotations of every class costs
     * a run the parsing of each.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands(Map.entry("up", UpCommand.class),
            Map.entry("reset", ResetCommand.class), Map.entry("snapshot", SnapshotCommand.class),
            Map.entry("diff", DiffCommand.class), Map.entry("cache", CacheCommand.class),
            Map.entry("dump", DumpCommand.class), Map.entry("import", ImportCommand.class),
            Map.entry("down", DownCommand.class), Map.entry("ps", PsCommand.class), Map.entry("cdc", CdcCommand.class),
            Map.entry("profiles", ProfilesCommand.class), Map.entry("try", TryCommand.class),
            Map.entry("shell", ShellCommand.class), Map.entry("exec", ExecCommand.class),
            Map.entry("env", EnvCommand.class), Map.entry("url", UrlCommand.class), Map.entry("db", DbCommand.class),
            Map.entry("wait", WaitCommand.class), Map.entry("prune", PruneCommand.class),
            Map.entry("doctor", DoctorCommand.class), Map.entry("completion", CompletionCommand.class),
            Map.entry("__complete", CompleteCommand.class), Map.entry("logs", LogsCommand.class),
            Map.entry("set", SetCommand.class), Map.entry("config", ConfigCommand.class),
            Map.entry("help", CommandLine.HelpCommand.class));
    /** Subcommands that look at the others: with these, every one is built. */
    private static final Set<String> NEED_ALL = Set.of("help", "completion", "__complete");

    /** A CommandLine wired to the given context, with every subcommand. */
    public static CommandLine commandLine(Context context) {
        return commandLine(context, null);
    }

    /**
     * A CommandLine wired to the given context: streams, error handling and exit codes. When the
     * arguments name a subcommand, only that one is built: picocli reflects over each subcommand it
     * is given, and building all of them costs a tenth of a second at every start. Help, completion,
     * no subcommand or an unknown one get them all (an unknown name is then reported with suggestions);
     * {@code --version} alone gets none.
     */
    public static CommandLine commandLine(Context context, String[] arguments) {
        String only = arguments == null ? null : subcommandOf(arguments);
        boolean none = arguments != null && arguments.length == 1
                && (arguments[0].equals("--version") || arguments[0].equals("-V"));
        Factory factory = new Factory(context);
        CommandLine cli = new CommandLine(model(new DevDb(context), factory), factory);
        SUBCOMMANDS.forEach((name, type) -> {
            if (!none && (only == null || only.equals(name))) {
                if (type == ResetCommand.class) { // its model is written out: see ResetCommand
                    cli.addSubcommand(name, new CommandLine(ResetCommand.model(context, factory), factory));
                } else {
                    cli.addSubcommand(name, type);
                }
            }
        });
        cli.setOut(context.out());
        cli.setErr(context.err());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        Execution execution = new Execution(cli.getExecutionStrategy(), context);
        cli.setExecutionStrategy(execution);
        cli.setExecutionExceptionHandler(execution);
        cli.setParameterExceptionHandler(execution);
        return cli;
    }

    /**
     * Whether --verbose was given to the command that ran or to any command above it: the option is
     * inherited, so {@code devdb --verbose snapshot ls} and {@code devdb snapshot ls --verbose} are one.
     */
    static boolean verbose(CommandLine ran) {
        for (CommandLine c = ran; c != null; c = c.getParent()) {
            if (c.getParseResult() != null && c.getParseResult().hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The subcommand the arguments run, when it alone is needed; otherwise null. */
    private static String subcommandOf(String[] args) {
        for (String a : args) {
            if (a.startsWith("-") && !a.equals("--")) {
                continue;
            }
            return SUBCOMMANDS.containsKey(a) && !NEED_ALL.contains(a) ? a : null;
        }
        return null;
    }

    @SafeVarargs
    private static Map<String, Class<?>> subcommands(Map.Entry<String, Class<?>>... entries) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> e : entries) {
            byName.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(byName);
    }

    static int handle(Exception e, Context context, boolean verbose) {
        context.out().flush();
        if (context.stdoutClosed()) {
            // whoever reads the output has gone: like a process killed by SIGPIPE, say nothing more
            return ExitCodes.OUTPUT_CLOSED;
        }
        int code;
        if (e instanceof DevDbException d) {
            context.err().println("devdb: " + d.getMessage());
            code = d.exitCode();
        } else {
            context.err().println("devdb: unexpected error: " + e);
            code = ExitCodes.FAILURE;
        }
        if (verbose) {
            e.printStackTrace(context.err());
        }
        context.err().flush();
        context.out().flush();
        return code;
    }

    /**
     * Runs a parsed command, flushing its output, and reports what fails. A class of its own rather than
     * lambdas: a lambda of one of picocli's interfaces (class files of Java 5) keeps that interface, and picocli's
     * classes that use it, out of the launcher's class-data archive, so every start would read them from the jar.
     */
    private static final class Execution implements CommandLine.IExecutionStrategy,
            CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
        private final CommandLine.IExecutionStrategy strategy;
        private final Context context;

        Execution(CommandLine.IExecutionStrategy strategy, Context context) {
            this.strategy = strategy;
            this.context = context;
        }

        @Override
        public int execute(CommandLine.ParseResult parseResult) {
            int code = strategy.execute(parseResult);
            context.out().flush();
            return context.stdoutClosed() ? ExitCodes.OUTPUT_CLOSED : code;
        }

        @Override
        public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
            return handle(e, context, verbose(commandLine));
        }

        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            CommandLine c = e.getCommandLine();
            context.err().println("devdb: " + e.getMessage());
            String path = c.getCommandSpec().qualifiedName(" ");
            context.err().println("Try '" + path + " --help' for more information.");
            context.err().flush();
            return ExitCodes.USAGE;
        }
    }

    /** Hands {@code --scope}'s value to the context (a class, as {@link Execution} is, for the archive). */
    private static final class ScopeSetter implements CommandLine.Model.ISetter {
        private final Context context;

        ScopeSetter(Context context) {
            this.context = context;
        }

        @Override
        public <T> T set(T value) {
            context.scopeOption((String) value);
            return null;
        }
    }

    /** Gives every command that wants it the context through its constructor. */
    private static final class Factory implements CommandLine.IFactory {
        private final Context context;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        Factory(Context context) {
            this.context = context;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> c = type.getDeclaredConstructor(Context.class);
                c.setAccessible(true);
                return c.newInstance(context);
            } catch (NoSuchMethodException e) {
                return fallback.create(type);
            }
        }
    }

    /**
     * The version Maven wrote into the jar's manifest, which the JVM has read already (picocli asks for it
     * whenever a subcommand is built); from the classes alone, the one it wrote into a resource.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            String version = DevDb.class.getPackage().getImplementationVersion();
            if (version == null) {
                Properties p = new Properties();
                try (InputStream in = DevDb.class.getResourceAsStream("/devdb-version.properties")) {
                    if (in != null) {
                        p.load(in);
                    }
                }
                version = p.getProperty("version", "unknown");
            }
            return new String[] {"devdb " + version,
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
