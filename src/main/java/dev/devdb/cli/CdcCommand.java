package dev.devdb.cli;

import dev.devdb.core.Cdc;
import dev.devdb.error.ControlCharacters;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import dev.devdb.mysql.ChangeStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cdc", description = "Change data capture on instances started with --cdc: Debezium connector "
        + "configurations and a live view of row changes.",
        subcommands = {CdcCommand.Config.class, CdcCommand.Watch.class})
final class CdcCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    @Command(name = "config", description = {"Print a Debezium connector registration (JSON) for the instance,",
            "ready to POST to Kafka Connect's /connectors endpoint."})
    static final class Config implements Callable<Integer> {
        private final Context context;

        @Mixin
        SharedOptions.Name name;

        @Option(names = "--network", description = "Address the instance by its host name on its --network, port "
                + "3306, for a connector running on that network (default: 127.0.0.1 and the published port).")
        boolean network;

        @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "kafka:9092",
                description = "Kafka bootstrap servers for the connector's schema history (default: kafka:9092).")
        String kafka;

        @Option(names = "--topic-prefix", paramLabel = "PREFIX",
                description = "Prefix of the connector's topics (default: the instance name).")
        String topicPrefix;

        @Option(names = "--server-id", paramLabel = "N",
                description = "The connector's replica server id (default: " + Cdc.CONNECTOR_SERVER_ID + ").")
        Long serverId;

        @Option(names = "--database", paramLabel = "DB",
                description = "A database to capture (repeatable; default: the instance's database).")
        List<String> databases = new ArrayList<>();

        Config(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Map<String, Object> registration = new Cdc(context.engine(), context.instances())
                    .connectorConfig(name.get(), new Cdc.ConfigRequest(network, kafka, topicPrefix, serverId, databases));
            Json.print(context.out(), registration);
            return ExitCodes.OK;
        }
    }

    @Command(name = "watch", description = {"Print each row change as the server writes it to its binary log: time, "
            + "operation, database.table, and the row before and after.",
            "devdb reads the log as a replica, like a connector would. Ctrl-C ends it.",
            "--json prints one JSON object per change (JSON lines)."})
    static final class Watch implements Callable<Integer> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
        private final Context context;

        @Mixin
        SharedOptions.Name name;

        @Option(names = "--table", paramLabel = "DB.TABLE",
                description = "Only this table (repeatable; DB.* for a whole database; default: every table "
                        + "outside the system databases).")
        List<String> tables = new ArrayList<>();

        @Mixin
        SharedOptions.Json json;

        @Option(names = "--limit", paramLabel = "N", description = "Stop after N changes.")
        Integer limit;

        Watch(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            if (limit != null && limit < 1) {
                throw new dev.devdb.error.DevDbException(ExitCodes.USAGE, "--limit must be 1 or more");
            }
            Cdc.Watch watch = new Cdc.Watch();
            CountDownLatch done = new CountDownLatch(1);
            Thread stopper = new Thread(() -> {
                watch.stop();
                try {
                    done.await(3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "devdb-watch-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            int[] count = new int[1];
            try {
                new Cdc(context.engine(), context.instances()).watch(name.get(), tables, watch, new Cdc.ChangeListener() {
                    @Override
                    public void connected(Instance instance, String position) {
                        context.err().println("devdb: watching " + instance.name() + " from " + position
                                + "; Ctrl-C ends");
                        context.err().flush();
                    }

                    @Override
                    public boolean change(ChangeStream.Change change) {
                        if (json.on()) {
                            Json.line(context.out(), view(change));
                        } else {
                            context.out().println(line(change));
                            context.out().flush();
                        }
                        count[0]++;
                        // a reader that went away (`| head`) ends the watch, as one that has enough
                        return !context.out().checkError() && (limit == null || count[0] < limit);
                    }
                });
            } finally {
                context.out().flush();
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException e) {
                    // shutting down: the hook is running
                    context.err().println("devdb: stopped after " + count[0] + " change" + (count[0] == 1 ? "" : "s"));
                    context.err().flush();
                }
            }
            return ExitCodes.OK;
        }

        static Map<String, Object> view(ChangeStream.Change c) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", c.time().toString());
            m.put("op", c.operation());
            m.put("database", c.database());
            m.put("table", c.table());
            m.put("before", c.before());
            m.put("after", c.after());
            m.put("position", c.position());
            return m;
        }

        static String line(ChangeStream.Change c) {
            StringBuilder s = new StringBuilder();
            s.append(TIME.format(c.time().atZone(ZoneId.systemDefault()))).append(' ')
                    .append(c.operation().toUpperCase(java.util.Locale.ROOT)).append(' ')
                    .append(c.database()).append('.').append(c.table()).append(' ');
            if (c.before() != null) {
                s.append(row(c.before()));
            }
            if (c.before() != null && c.after() != null) {
                s.append(" -> ");
            }
            if (c.after() != null) {
                s.append(row(c.after()));
            }
            return s.toString();
        }

        static String row(Map<String, Object> row) {
            List<String> cells = new ArrayList<>();
            row.forEach((k, v) -> cells.add(k + "=" + literal(v)));
            return "{" + String.join(", ", cells) + "}";
        }

        static String literal(Object v) {
            if (v == null) {
                return "NULL";
            }
            if (v instanceof Integer || v instanceof Long || v instanceof BigInteger || v instanceof BigDecimal
                    || v instanceof Double || v instanceof Float) {
                return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
            }
            String text = v.toString();
            if (text.startsWith("0x") && text.matches("0x[0-9A-F]*")) {
                return text;
            }
            return "'" + ControlCharacters.escape(text.replace("\\", "\\\\").replace("'", "\\'")) + "'";
        }
    }
}
