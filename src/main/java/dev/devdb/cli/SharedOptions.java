package dev.devdb.cli;

import dev.devdb.core.Instances;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options and parameters many commands share, as picocli mixins: a command declares
 * {@code @Mixin SharedOptions.Json json;} and never the option itself, so each is spelled,
 * described and checked in one place.
 */
final class SharedOptions {
    private SharedOptions() {}

    /**
     * Hands a parsed value to a command's or mixin's field, for a model written out rather than read from
     * annotations. A class of its own: a class of devdb's that implements one of picocli's interfaces (class
     * files of Java 5) keeps that interface, and every class that uses it, out of the launcher's class-data
     * archive as soon as the archive's dump links it, which resolving a lambda of that class does.
     */
    static final class Setter implements ISetter {
        private final Consumer<Object> field;

        Setter(Consumer<Object> field) {
            this.field = field;
        }

        @Override
        public <T> T set(T value) {
            field.accept(value);
            return null;
        }
    }

    /**
     * The NAME positional of commands that act on one instance. A command whose model is written out (see
     * {@link DevDb#model}) adds {@link #spec()}, which declares what the annotation does.
     */
    static final class Name {
        private static final String DESCRIPTION = "The instance (default: the only one).";

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", completionCandidates = Completion.Instances.class,
                description = DESCRIPTION)
        private String name;

        PositionalParamSpec spec() {
            return PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("NAME").type(String.class)
                    .completionCandidates(new Completion.Instances()).description(DESCRIPTION)
                    .setter(new Setter(value -> name = (String) value)).build();
        }

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
        private static final String DESCRIPTION = "Print nothing on stderr but errors.";

        @Option(names = {"-q", "--quiet"}, description = DESCRIPTION)
        private boolean quiet;

        /** What the annotation declares (see {@link Name#spec}). */
        OptionSpec spec() {
            return OptionSpec.builder("-q", "--quiet").type(boolean.class).initialValue(false).description(DESCRIPTION)
                    .setter(new Setter(value -> quiet = (Boolean) value)).build();
        }

        boolean on() {
            return quiet;
        }
    }

    /** {@code --timeout}: how long to wait for a server to accept connections. */
    static final class Timeout {
        private static final String DEFAULT = "180s";
        private static final String DESCRIPTION = "How long to wait for the server (default ${DEFAULT-VALUE}; at most "
                + DurationOption.MAX_TEXT + ").";

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = DEFAULT, description = DESCRIPTION)
        private String timeout;

        /** What the annotation declares (see {@link Name#spec}). */
        OptionSpec spec() {
            return OptionSpec.builder("--timeout").paramLabel("DURATION").type(String.class).defaultValue(DEFAULT)
                    .description(DESCRIPTION).setter(new Setter(value -> timeout = (String) value)).build();
        }

        Duration get() {
            return DurationOption.parse("--timeout", timeout);
        }
    }
}
