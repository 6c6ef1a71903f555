package dev.devdb.mysql;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Groups slow-log entries by fingerprint and ranks the groups, the way pt-query-digest's profile
 * does: worst total time first (or by another {@link Order}).
 */
public final class SlowLogDigest {
    private static final int MAX_NAMES = 10;

    /** What "worst" means when ranking. */
    public enum Order {
        TOTAL(Comparator.comparingDouble(QueryClass::totalTime)),
        COUNT(Comparator.comparingLong(QueryClass::count)),
        AVG(Comparator.comparingDouble(QueryClass::avgTime)),
        MAX(Comparator.comparingDouble(QueryClass::maxTime)),
        EXAMINED(Comparator.comparingLong(QueryClass::rowsExamined));

        private final Comparator<QueryClass> comparator;

        Order(Comparator<QueryClass> comparator) {
            this.comparator = comparator;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The digest of a log.
     *
     * @param queries entries read
     * @param totalTime seconds, all entries together
     * @param from earliest entry time, or null
     * @param to latest entry time, or null
     * @param classes the groups, worst first
     */
    public record Report(long queries, double totalTime, Instant from, Instant to, List<QueryClass> classes) {}

    private final Map<String, Group> groups = new HashMap<>();
    private long queries;
    private double totalTime;
    private Instant from;
    private Instant to;

    /** Adds one entry; entries without a statement are ignored. */
    public void add(SlowQuery q) {
        if (q.sql() == null || q.sql().isBlank()) {
            return;
        }
        String fingerprint = Fingerprint.of(q.sql());
        Group g = groups.computeIfAbsent(fingerprint, Group::new);
        g.add(q);
        queries++;
        totalTime += q.queryTime();
        if (q.time() != null) {
            from = from == null || q.time().isBefore(from) ? q.time() : from;
            to = to == null || q.time().isAfter(to) ? q.time() : to;
        }
    }

    public Report report(Order order) {
        List<QueryClass> classes = new ArrayList<>();
        for (Group g : groups.values()) {
            classes.add(g.toClass());
        }
        classes.sort(order.comparator.reversed()
                .thenComparing(Comparator.comparingDouble(QueryClass::totalTime).reversed())
                .thenComparing(QueryClass::fingerprint));
        return new Report(queries, totalTime, from, to, List.copyOf(classes));
    }

    private static final class Group {
        final String fingerprint;
        long count;
        double total;
        double min = Double.MAX_VALUE;
        double max;
        double lock;
        long examined;
        long sent;
        double[] times = new double[8];
        final Map<String, Integer> databases = new LinkedHashMap<>();
        final Map<String, Integer> users = new LinkedHashMap<>();
        Instant first;
        Instant last;
        String example;

        Group(String fingerprint) {
            this.fingerprint = fingerprint;
        }

        void add(SlowQuery q) {
            if (count == times.length) {
                times = Arrays.copyOf(times, times.length * 2);
            }
            times[(int) count] = q.queryTime();
            count++;
            total += q.queryTime();
            min = Math.min(min, q.queryTime());
            if (q.queryTime() >= max || example == null) {
                max = Math.max(max, q.queryTime());
                example = q.sql();
            }
            lock += q.lockTime();
            examined += q.rowsExamined();
            sent += q.rowsSent();
            if (q.database() != null && !q.database().isEmpty()) {
                databases.merge(q.database(), 1, Integer::sum);
            }
            if (q.user() != null) {
                users.merge(q.user() + "@" + (q.host() == null ? "" : q.host()), 1, Integer::sum);
            }
            if (q.time() != null) {
                first = first == null || q.time().isBefore(first) ? q.time() : first;
                last = last == null || q.time().isAfter(last) ? q.time() : last;
            }
        }

        QueryClass toClass() {
            double[] sorted = Arrays.copyOf(times, (int) count);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(0.95 * count) - 1;
            double p95 = sorted[Math.max(0, rank)];
            return new QueryClass(Fingerprint.id(fingerprint), fingerprint, count, total, min, max, p95, lock, examined,
                    sent, top(databases), top(users), first, last, example);
        }

        private static List<String> top(Map<String, Integer> counts) {
            return counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(MAX_NAMES)
                    .map(Map.Entry::getKey)
                    .toList();
        }
    }
}
