package dev.devdb.cli;

import dev.devdb.core.Instance;
import dev.devdb.core.Pool;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "db", description = {"Fresh databases for tests: copies of the seed state, from a pool kept filled.",
        "Test code can do the same in SQL: CALL _devdb_pool.new_database() and _devdb_pool.drop_database(name)."},
        subcommands = {DbCommand.New.class, DbCommand.Drop.class, DbCommand.PoolStatus.class})
final class DbCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "new", description = {"Hand out a fresh database: a complete copy of the profile's database as the"
            + " seeds left it.", "Prints its name and URL. Sets the instance's pool up on first use."})
    static final class New implements Callable<Integer> {
        private final Context context;

        @Mixin
        SharedOptions.Name name;

        @Mixin
        SharedOptions.Json json;

        @Option(names = "--pool", paramLabel = "N", description = "Keep N databases ready (default "
                + Pool.DEFAULT_SIZE + ", at most " + Pool.MAX_SIZE + "); the pool keeps its size until told another.")
        Integer size;

        New(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            checkSize("--pool", size);
            String instance = name.get();
            Instance fresh = new Pool(context.engine()).take(context.instances().running(instance), size);
            if (json.on()) {
                Json.print(context.out(), Views.connection(fresh));
            } else {
                context.out().println(fresh.database());
                context.out().println(fresh.url());
                context.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "pool", description = {"Set the instance's pool up (or give it another size) and say how full it is.",
            "Prints the pool's size and how many databases are ready, being made, handed out and being dropped."})
    static final class PoolStatus implements Callable<Integer> {
        private final Context context;

        @Mixin
        SharedOptions.Name name;

        @Mixin
        SharedOptions.Json json;

        @Option(names = "--size", paramLabel = "N", description = "Keep N databases ready (1 to " + Pool.MAX_SIZE
                + "; a new pool keeps " + Pool.DEFAULT_SIZE + ").")
        Integer size;

        PoolStatus(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            checkSize("--size", size);
            Instance i = context.instances().running(name.get());
            Pool.Status s = new Pool(context.engine()).status(i, size);
            if (json.on()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", i.name());
                m.put("size", s.size());
                m.put("ready", s.ready());
                m.put("filling", s.filling());
                m.put("taken", s.taken());
                m.put("dropping", s.dropping());
                Json.print(context.out(), m);
            } else {
                context.out().println("size      " + s.size());
                context.out().println("ready     " + s.ready());
                context.out().println("filling   " + s.filling());
                context.out().println("taken     " + s.taken());
                context.out().println("dropping  " + s.dropping());
                context.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    static void checkSize(String option, Integer size) {
        if (size != null && (size < 1 || size > Pool.MAX_SIZE)) {
            throw new DevDbException(ExitCodes.USAGE, option + " takes a number from 1 to " + Pool.MAX_SIZE + ", not "
                    + size);
        }
    }

    @Command(name = "drop", description = {"Drop a database `db new` handed out, and the grant on it.",
            "Any other database is refused."})
    static final class Drop implements Callable<Integer> {
        private final Context context;

        @Parameters(arity = "1..2", paramLabel = "[NAME] DB", completionCandidates = Completion.Instances.class,
                description = "The instance (default: the only one), then the database.")
        List<String> args;

        @Mixin
        SharedOptions.Quiet quiet;

        Drop(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String instance = args.size() == 2 ? SharedOptions.Name.check(args.get(0)) : null;
            String database = Pool.checkDatabase(args.get(args.size() - 1));
            Instance i = context.instances().running(instance);
            new Pool(context.engine()).drop(i, database);
            if (!quiet.on()) {
                context.err().println("devdb: dropped " + database + " of " + i.name());
                context.err().flush();
            }
            return ExitCodes.OK;
        }
    }
}
