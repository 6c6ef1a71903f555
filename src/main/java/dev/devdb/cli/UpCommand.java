package dev.devdb.cli;

import dev.devdb.error.DevDbException;
import dev.devdb.core.Durations;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import dev.devdb.core.UpRequest;
import dev.devdb.core.UpResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "up", description = {"Start an instance from a profile and wait until it accepts connections.",
        "Prints how to connect on stdout; progress goes to stderr."})
final class UpCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROFILE", completionCandidates = Completion.Profiles.class,
            description = "Profile name or path to a .yaml file (default: mysql8).")
    String profile;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address of the engine's host to publish the"
            + " port on (default: 127.0.0.1, its loopback; 0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--name", paramLabel = "NAME", description = "Instance name (default: the profile's name).")
    String name;

    @Option(names = "--port", paramLabel = "N", description = "Host port (default: a free one).")
    Integer port;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Add or override a server option (repeatable); KEY alone sets a flag.")
    List<String> set = new ArrayList<>();

    @Option(names = "--slow-log", arity = "0..1", paramLabel = "SECONDS", fallbackValue = "1",
            description = "Turn on the slow query log with long_query_time=SECONDS (default 1).")
    Double slowLog;

    @Option(names = "--general-log", description = "Turn on the general query log.")
    boolean generalLog;

    @Option(names = "--pull", paramLabel = "POLICY", defaultValue = "missing",
            completionCandidates = PullPolicies.class,
            description = "When to pull the image: missing (default), always, never.")
    UpRequest.PullPolicy pull;

    @Mixin
    SharedOptions.Timeout timeout;

    @Option(names = "--recreate", description = "Replace an existing instance of that name.")
    boolean recreate;

    @Option(names = "--init", paramLabel = "PATH",
            description = "A seed script (.sql, .sql.gz, .sh) or a directory of them, run once after initialisation "
                    + "(repeatable; after the profile's init).")
    List<java.nio.file.Path> init = new ArrayList<>();

    @Option(names = "--no-wait", description = "Return once the container started, without waiting for the server;"
            + " `devdb wait` waits later.")
    boolean noWait;

    @Option(names = "--ttl", paramLabel = "DURATION",
            description = "Let `devdb prune` remove the instance after DURATION (e.g. 2h), for CI jobs that may crash.")
    String ttl;

    @Option(names = "--cdc", description = "Configure the server for change-data-capture connectors such as Debezium: "
            + "row-based binary log, GTIDs, and a connector user (see `devdb cdc config`).")
    boolean cdc;

    @Option(names = "--replicas", paramLabel = "N",
            description = "Start N replicas (NAME-r1 ... NAME-rN) replicating from this instance (default: the "
                    + "profile's replicas, usually 0).")
    Integer replicas;

    @Option(names = "--network", paramLabel = "NET",
            description = "Also attach the instance (and its replicas) to this existing Docker network.")
    String network;

    @Option(names = "--alias", paramLabel = "HOST",
            description = "The instance's host name on the --network (default: the instance name).")
    String alias;

    @Mixin
    SharedOptions.Json json;

    @Mixin
    SharedOptions.Quiet quiet;

    /** The largest long_query_time both servers take. */
    private static final int MAX_LONG_QUERY_TIME = 31_536_000;

    /** Lower-case, as the help spells them. */
    static final class PullPolicies implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("missing", "always", "never").iterator();
        }
    }

    UpCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Duration wait = timeout.get();
        Duration expiry = ttl == null ? null : DurationOption.parse("--ttl", ttl);
        if (port != null && (port < 1 || port > 65535)) {
            throw new DevDbException(ExitCodes.USAGE, "--port must be between 1 and 65535, not " + port);
        }
        if (slowLog != null && !(slowLog >= 0 && slowLog <= MAX_LONG_QUERY_TIME)) {
            throw new DevDbException(ExitCodes.USAGE, "--slow-log seconds must be from 0 to " + MAX_LONG_QUERY_TIME
                    + " (the server's largest long_query_time, a year)");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String s : set) {
            int eq = s.indexOf('=');
            options.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
        }
        UpRequest request = new UpRequest(profile, name, port, options, slowLog, generalLog, pull, wait, recreate,
                init.stream().map(p -> context.cwd().resolve(p)).toList(),
                noWait, expiry, cdc, replicas, network, alias, bind);
        ProgressPrinter progress = new ProgressPrinter(context, quiet.on());
        UpResult result = context.instances().up(request, progress);
        Instance i = result.instance();
        if (!quiet.on()) {
            String state = result.ready() ? " is ready: " : " started (not waiting for the server): ";
            context.err().println("devdb: " + i.name() + state + i.flavor().displayName() + " " + i.version()
                    + " on " + i.address()
                    + (result.reused() ? " (already running)" : " (" + Durations.format(result.elapsed()) + ")"));
            if (!result.ready()) {
                context.err().println("devdb: run `devdb wait " + i.name() + "` before connecting");
            }
            for (String note : context.instances().portNotes(i)) {
                context.err().println("devdb: " + note);
            }
            for (Instance r : result.replicas()) {
                context.err().println("devdb: replica " + r.name() + " on " + r.address()
                        + " replicates from " + i.name());
            }
            context.err().flush();
        }
        if (json.on()) {
            Map<String, Object> view = Views.connection(i);
            view.put("ready", result.ready());
            if (!result.replicas().isEmpty()) {
                view.put("replicas", result.replicas().stream().map(Views::connection).toList());
            }
            Json.print(context.out(), view);
        } else {
            printConnection(i);
        }
        return ExitCodes.OK;
    }

    private void printConnection(Instance i) {
        var out = context.out();
        out.println("host      " + i.host());
        out.println("port      " + i.port());
        out.println("user      " + i.user());
        out.println("password  " + i.password());
        out.println("database  " + i.database());
        out.println("url       " + i.url());
        out.println("jdbc      " + i.jdbcUrl());
        out.flush();
    }
}
