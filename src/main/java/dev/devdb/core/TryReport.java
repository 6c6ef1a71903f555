package dev.devdb.core;

import dev.devdb.mysql.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What {@code devdb try} found: every statement's outcome on every server, and per statement what
 * differs between them.
 *
 * @param servers the servers, in the order given
 * @param statements the statements in the order they ran
 */
public record TryReport(List<Server> servers, List<Result> statements) {

    /** What differs, in the order it is reported. */
    public static final List<String> ASPECTS = List.of("error", "columns", "types", "rows", "affected rows", "warnings",
            "plan");
    private static final Pattern ORDER_BY = Pattern.compile("\\border\\s+by\\b", Pattern.CASE_INSENSITIVE);

    /**
     * One server the statements ran on.
     *
     * @param profile the profile it was started from
     * @param instance the instance's name
     * @param flavor MySQL or MariaDB
     * @param version the version the server greeted with
     */
    public record Server(String profile, String instance, String flavor, String version) {}

    /**
     * One statement and what it did on each server.
     *
     * @param source the file it came from ({@code -e} for the command line)
     * @param line the line it starts on
     * @param sql its text
     * @param outcomes per server, in the order of {@link TryReport#servers}
     * @param differences the aspects that differ ({@link #ASPECTS}); empty when it behaved the same everywhere
     */
    public record Result(String source, int line, String sql, List<Outcome> outcomes, List<String> differences) {
        public boolean same() {
            return differences.isEmpty();
        }
    }

    /** Whether every statement behaved the same on every server. */
    public boolean allSame() {
        return statements.stream().allMatch(Result::same);
    }

    /** The aspects in which a statement's outcomes differ from one server to another. */
    static List<String> differences(String sql, List<Outcome> outcomes) {
        List<String> differ = new ArrayList<>();
        boolean ordered = ORDER_BY.matcher(sql).find();
        check(differ, "error", outcomes, Outcome::error);
        check(differ, "columns", outcomes, o -> o.columns().stream().map(Outcome.Column::name).toList());
        check(differ, "types", outcomes, o -> o.columns().stream().map(Outcome.Column::type).toList());
        check(differ, "rows", outcomes, o -> ordered ? o.rows() : sorted(o.rows()));
        check(differ, "affected rows", outcomes, Outcome::affectedRows);
        check(differ, "warnings", outcomes, Outcome::warnings);
        check(differ, "plan", outcomes, Outcome::plan);
        return List.copyOf(differ);
    }

    private static void check(List<String> differ, String aspect, List<Outcome> outcomes,
            Function<Outcome, Object> value) {
        Object first = value.apply(outcomes.get(0));
        for (Outcome o : outcomes.subList(1, outcomes.size())) {
            if (!Objects.equals(first, value.apply(o))) {
                differ.add(aspect);
                return;
            }
        }
    }

    /**
     * Rows in a fixed order: without ORDER BY a server may return them in any order, and two servers
     * returning the same rows in another order do not differ.
     */
    private static List<List<String>> sorted(List<List<String>> rows) {
        Comparator<String> values = Comparator.nullsFirst(Comparator.naturalOrder());
        Comparator<List<String>> byValues = (a, b) -> {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int c = values.compare(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.size(), b.size());
        };
        return rows.stream().sorted(byValues).toList();
    }
}
