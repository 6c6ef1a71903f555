package dev.devdb.cli;

import dev.devdb.core.Instance;
import dev.devdb.core.Pool;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "db", description = {"Fresh databases for tests: copies of the seed state, from a pool kept filled.",
        "Test code can do the same in SQL: CALL _devdb_pool.new_database() and _devdb_pool.drop_database(name)."},
        subcommands = {DbCommand.New.class, DbCommand.Drop.class})
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
            if (size != null && (size < 1 || size > Pool.MAX_SIZE)) {
                throw new DevDbException(ExitCodes.USAGE, "--pool takes a number from 1 to " + Pool.MAX_SIZE + ", not "
                        + size);
            }
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
