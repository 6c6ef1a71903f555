package dev.devdb.cli;

import dev.devdb.core.Instances;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options and parameters many commands share, as picocli mixins: a command declares
 * {@code @Mixin SharedOptions.Json json;} and never the option itself, so each is spelled,
 * described and checked in one place.
 */
final class SharedOptions {
    private SharedOptions() {}

    /** The NAME positional of commands that act on one instance. */
    static final class Name {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", completionCandidates = Completion.Instances.class,
                description = "The instance (default: the only one).")
        private String name;

        /** The name given, checked as `up` checks it; null when none was given. */
        String get() {
            return name == null ? null : check(name);
        }

        /** Checks an instance name that a command reads from its arguments itself. */
        static String check(String name) {
            return Instances.checkName(name);
        }
    }

    /** The NAME... positional of commands that act on several instances. */
    static final class Names {
        @Parameters(arity = "0..*", paramLabel = "NAME", completionCandidates = Completion.Instances.class,
                description = "The instances (default: the only one).")
        private List<String> names = new ArrayList<>();

        /** The names given, each checked as `up` checks it. */
        List<String> get() {
            names.forEach(Name::check);
            return List.copyOf(names);
        }
    }

    /** {@code --json}: structured output on stdout, with the field names the README documents. */
    static final class Json {
        @Option(names = "--json", description = "Print JSON (the README lists its fields).")
        private boolean json;

        boolean on() {
            return json;
        }
    }

    /** {@code -q}/{@code --quiet}: no progress and no confirmations on stderr. */
    static final class Quiet {
        @Option(names = {"-q", "--quiet"}, description = "Print nothing on stderr but errors.")
        private boolean quiet;

        boolean on() {
            return quiet;
        }
    }

    /** {@code --timeout}: how long to wait for a server to accept connections. */
    static final class Timeout {
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "180s",
                description = "How long to wait for the server (default ${DEFAULT-VALUE}; at most "
                        + DurationOption.MAX_TEXT + ").")
        private String timeout;

        Duration get() {
            return DurationOption.parse("--timeout", timeout);
        }
    }
}
