package dev.devdb.core;

import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.RemovedOptions;
import dev.devdb.mysql.ServerVersion;
import dev.devdb.mysql.Sql;
import dev.devdb.profile.ServerOptions;
import dev.devdb.profile.Suggest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Server settings changed on a running instance ({@code devdb set}) and the options devdb gave
 * it ({@code devdb config}). A setting is applied with SET GLOBAL and recorded in
 * {@value #DIRECTORY}/{@value #FILE_NAME}, which the server reads after {@code devdb.cnf} (the
 * options of {@code up}), so a restart keeps it; {@link #recorded} gives the settings back for
 * code that recreates the container.
 */
public final class ServerSettings {
    public static final String DIRECTORY = "/etc/mysql/conf.d";
    /** The options {@code up} wrote: the profile's mycnf, --set, --slow-log, --general-log. */
    public static final String UP_FILE_NAME = "devdb.cnf";
    /** The settings {@code devdb set} recorded; its name sorts after devdb.cnf, so it wins. */
    public static final String FILE_NAME = "devdb.set.cnf";

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgGtTpP])");
    private static final Pattern QUOTED_NAME = Pattern.compile("[Vv]ariable '([^']+)'");
    private static final Set<String> TRUE = Set.of("ON", "1", "TRUE", "YES");
    private static final Set<String> FALSE = Set.of("OFF", "0", "FALSE", "NO");

    private final Engine engine;

    public ServerSettings(Engine engine) {
        this.engine = engine;
    }

    /**
     * What {@link #set} did.
     *
     * @param applied the settings, keys normalised
     * @param warnings the server's warnings (a value it adjusted, ...), as {@code Level Code: message}
     */
    public record Applied(Map<String, String> applied, List<String> warnings) {}

    /**
     * One option devdb gave an instance.
     *
     * @param name the option, normalised ({@code long_query_time})
     * @param value the value devdb gave it; null for a bare flag
     * @param source {@code up} (the profile's mycnf and up's options) or {@code set}
     * @param overrides the {@code up} value a {@code set} value replaced, or null
     * @param live the server's value now, or null when it is not running or has no such variable
     * @param matches whether the live value is the configured one, null when unknown
     */
    public record Option(String name, String value, String source, String overrides, String live, Boolean matches) {}

    /**
     * What {@code devdb config} shows.
     *
     * @param instance the instance's name
     * @param running whether live values could be read
     * @param options the options, those of up first, then those of set
     */
    public record Config(String instance, boolean running, List<Option> options) {}

    /**
     * Applies settings at once (SET GLOBAL, all in one statement: either all apply or none) and
     * records them for restarts.
     */
    public Applied set(Instance instance, Map<String, String> settings) {
        if (settings.isEmpty()) {
            throw new DevDbException(ExitCodes.USAGE, "give at least one KEY=VALUE; `devdb config " + instance.name()
                    + "` shows what is set");
        }
        Map<String, String> normalized = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String problem = ServerOptions.problem(e.getKey(), e.getValue());
            if (problem != null) {
                throw new DevDbException(ExitCodes.USAGE, problem);
            }
            if (instance.flavor() != null && ServerVersion.numbered(instance.version())) {
                RemovedOptions.Finding removed = RemovedOptions.of(instance.flavor()).check(e.getKey(),
                        ServerVersion.ofTag(instance.version()));
                if (removed != null && removed.severity() == RemovedOptions.Severity.ERROR) {
                    throw new DevDbException(ExitCodes.USAGE, removed.message());
                }
            }
            if (e.getValue() == null) {
                throw new DevDbException(ExitCodes.USAGE, "'" + e.getKey() + "' has no value; write "
                        + e.getKey() + "=VALUE (ON or OFF for a switch)");
            }
            normalized.put(variable(e.getKey()), e.getValue());
        }
        if (!instance.running()) {
            throw ServerClient.notRunning(instance);
        }
        StringBuilder sql = new StringBuilder("SET ");
        String sep = "";
        for (Map.Entry<String, String> e : normalized.entrySet()) {
            sql.append(sep).append("GLOBAL ").append(e.getKey()).append(" = ").append(sqlValue(e.getValue()));
            sep = ", ";
        }
        sql.append("; SHOW WARNINGS");
        ServerClient client = new ServerClient(engine, instance);
        List<List<String>> rows;
        try {
            rows = client.query(sql.toString());
        } catch (ServerClient.SqlException e) {
            throw refused(instance, normalized, e, client);
        }
        List<String> warnings = new ArrayList<>();
        for (List<String> r : rows) {
            if (r.size() >= 3) {
                warnings.add(r.get(0) + " " + r.get(1) + ": " + r.get(2));
            }
        }
        Map<String, String> recorded = recorded(engine, instance.containerId());
        normalized.forEach((k, v) -> {
            recorded.remove(k);
            recorded.put(k, v);
        });
        record(engine, instance.containerId(), recorded);
        return new Applied(normalized, warnings);
    }

    private DevDbException refused(Instance instance, Map<String, String> settings, ServerClient.SqlException e,
            ServerClient client) {
        if (e.unreachable()) {
            return ServerClient.unreachable(instance, e);
        }
        String name = named(e.line(), settings);
        String value = name == null ? null : settings.get(name);
        String recreate = "`devdb up " + instance.profile()
                + (instance.name().equals(instance.profile()) ? "" : " --name " + instance.name())
                + " --recreate --set " + (name == null ? "KEY=VALUE" : name + "=" + value) + "`";
        switch (e.code()) {
            case 1238 -> {
                return new DevDbException(ExitCodes.USAGE, "server option " + (name == null ? "" : "'" + name + "' ")
                        + "is not dynamic; use " + recreate + " (the server says: " + e.line() + ")", e);
            }
            case 1193 -> {
                String hint = "";
                if (name != null) {
                    try {
                        List<String> names = client.query("SHOW GLOBAL VARIABLES").stream().map(r -> r.get(0)).toList();
                        hint = Suggest.closest(name, names).map(s -> "; did you mean '" + s + "'?").orElse("");
                    } catch (RuntimeException ignored) {
                        // no suggestion then
                    }
                }
                return new DevDbException(ExitCodes.USAGE, "the server has no variable "
                        + (name == null ? "of that name" : "'" + name + "'") + " (" + e.line() + ")" + hint
                        + (hint.isEmpty() ? "; if it is a startup option, use " + recreate : ""), e);
            }
            default -> {
                return new DevDbException(ExitCodes.USAGE, "the server refused "
                        + (name == null ? "the settings" : name + "=" + value) + ": " + e.line(), e);
            }
        }
    }

    /** The setting a server error line names ("Variable 'x' ..."), or null. */
    private static String named(String line, Map<String, String> settings) {
        Matcher m = QUOTED_NAME.matcher(line);
        if (m.find()) {
            String n = m.group(1).toLowerCase(Locale.ROOT).replace('-', '_');
            for (String k : settings.keySet()) {
                if (k.equalsIgnoreCase(n)) {
                    return k;
                }
            }
            return n;
        }
        for (String k : settings.keySet()) {
            if (line.contains("'" + k + "'")) {
                return k;
            }
        }
        return settings.size() == 1 ? settings.keySet().iterator().next() : null;
    }

    /** The variable an option sets: normalised, without the {@code loose_} prefix. */
    static String variable(String key) {
        String k = ServerOptions.normalizeKey(key);
        return k.startsWith("loose_") ? k.substring(6) : k;
    }

    /**
     * A value as SET GLOBAL wants it: numbers bare, sizes written the option-file way
     * ({@code 16M}) in bytes, anything else as a string literal (which switches and enums accept).
     */
    static String sqlValue(String value) {
        String v = value.strip();
        if (NUMBER.matcher(v).matches()) {
            return v;
        }
        Matcher size = SIZE.matcher(v);
        if (size.matches()) {
            int shift = switch (Character.toUpperCase(size.group(2).charAt(0))) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                case 'T' -> 40;
                default -> 50;
            };
            return new BigDecimal(size.group(1)).multiply(BigDecimal.valueOf(2).pow(shift)).toPlainString();
        }
        return Sql.literal(value);
    }

    /** The settings {@code devdb set} recorded in a container (running or not); empty when none. */
    public static Map<String, String> recorded(Engine engine, String containerId) {
        byte[] file = engine.readFiles(containerId, DIRECTORY).get(FILE_NAME);
        return file == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(ServerOptions.parse(new String(file, StandardCharsets.UTF_8)));
    }

    /** Writes settings into a container (created or running) for its server to read at start. */
    public static void record(Engine engine, String containerId, Map<String, String> settings) {
        String cnf = ServerOptions.render(settings, "Written by devdb set: settings changed on the running server,\n"
                + "read after devdb.cnf so that they outlast a restart.");
        engine.copyFile(containerId, DIRECTORY, FILE_NAME, cnf.getBytes(StandardCharsets.UTF_8), 0644);
    }

    /** The options devdb gave an instance, with the server's live values when it runs. */
    public Config config(Instance instance) {
        Map<String, byte[]> files = engine.readFiles(instance.containerId(), DIRECTORY);
        byte[] upFile = files.get(UP_FILE_NAME);
        byte[] setFile = files.get(FILE_NAME);
        Map<String, String> up = upFile == null ? Map.of()
                : ServerOptions.parse(new String(upFile, StandardCharsets.UTF_8));
        Map<String, String> set = setFile == null ? Map.of()
                : ServerOptions.parse(new String(setFile, StandardCharsets.UTF_8));
        Map<String, String> live = Map.of();
        boolean running = instance.running();
        if (running) {
            Set<String> names = new java.util.LinkedHashSet<>();
            up.keySet().forEach(k -> names.add(variable(k)));
            set.keySet().forEach(k -> names.add(variable(k)));
            if (!names.isEmpty()) {
                try {
                    live = new ServerClient(engine, instance).query("SHOW GLOBAL VARIABLES WHERE Variable_name IN ("
                            + names.stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")")
                            .stream().collect(Collectors.toMap(r -> r.get(0).toLowerCase(Locale.ROOT),
                                    r -> r.get(1) == null ? "" : r.get(1), (a, b) -> a));
                } catch (ServerClient.SqlException e) {
                    running = false;
                }
            }
        }
        List<Option> options = new ArrayList<>();
        for (Map.Entry<String, String> e : up.entrySet()) {
            if (!set.containsKey(e.getKey())) {
                options.add(option(e.getKey(), e.getValue(), "up", null, live, running));
            }
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            options.add(option(e.getKey(), e.getValue(), "set", up.get(e.getKey()), live, running));
        }
        return new Config(instance.name(), running, options);
    }

    private static Option option(String name, String value, String source, String overrides, Map<String, String> live,
            boolean running) {
        String now = running ? live.get(variable(name)) : null;
        return new Option(name, value, source, overrides, now, now == null ? null : sameValue(value, now));
    }

    /** Whether a configured value and the server's reading of it are the same thing (ON and 1, 16M and 16777216). */
    static boolean sameValue(String configured, String live) {
        if (configured == null) {
            return !FALSE.contains(live.toUpperCase(Locale.ROOT));
        }
        String c = configured.strip();
        String l = live.strip();
        if (c.equalsIgnoreCase(l)) {
            return true;
        }
        String cu = c.toUpperCase(Locale.ROOT);
        String lu = l.toUpperCase(Locale.ROOT);
        if ((TRUE.contains(cu) && TRUE.contains(lu)) || (FALSE.contains(cu) && FALSE.contains(lu))) {
            return true;
        }
        String cn = sqlValue(c);
        if (NUMBER.matcher(cn).matches() && NUMBER.matcher(l).matches()) {
            return new BigDecimal(cn).compareTo(new BigDecimal(l)) == 0;
        }
        return false;
    }
}
