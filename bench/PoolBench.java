import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client side of bench/pool: CLIENTS threads, each with its own connection as the application
 * account (JDBC, the flavour's own driver), call _devdb_pool.new_database() in a loop, check the
 * database they got (a table's row count), optionally hold it for a while as a test would, and
 * drop it. Prints one line of figures; a monitor connection as root samples how many copies were
 * ready. Run by bench/pool as a single-file program: java -cp DRIVER PoolBench.java URL CLIENTS
 * ROUNDS HOLD_MS TABLE ROWS; the root password comes in the environment (DEVDB_BENCH_ROOT_PASSWORD).
 */
public final class PoolBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int clients = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        long holdMs = Long.parseLong(args[3]);
        String table = args[4];
        long rows = Long.parseLong(args[5]);
        String rootUrl = url.replaceFirst("user=[^&]*", "user=root")
                .replaceFirst("password=[^&]*", "password=" + System.getenv("DEVDB_BENCH_ROOT_PASSWORD"));

        List<Double> handOut = Collections.synchronizedList(new ArrayList<>());
        List<Double> drop = Collections.synchronizedList(new ArrayList<>());
        List<Integer> ready = Collections.synchronizedList(new ArrayList<>());
        Set<String> names = Collections.synchronizedSet(new HashSet<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);

        Thread monitor = new Thread(() -> {
            try (Connection c = DriverManager.getConnection(rootUrl); Statement s = c.createStatement()) {
                while (running.get()) {
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM _devdb_pool.pool WHERE state = 'ready'")) {
                        rs.next();
                        ready.add(rs.getInt(1));
                    }
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                failures.add(e);
            }
        });
        monitor.start();

        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            Thread thread = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url)) {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                        rs.next();
                    }
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        long t0 = System.nanoTime();
                        String db;
                        try (Statement s = c.createStatement();
                                ResultSet rs = s.executeQuery("CALL _devdb_pool.new_database()")) {
                            rs.next();
                            db = rs.getString(1);
                        }
                        handOut.add((System.nanoTime() - t0) / 1e6);
                        if (!names.add(db)) {
                            throw new IllegalStateException("handed out twice: " + db);
                        }
                        c.setCatalog(db);
                        try (Statement s = c.createStatement();
                                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM `" + table + "`")) {
                            rs.next();
                            if (rs.getLong(1) != rows) {
                                throw new IllegalStateException(db + "." + table + " has " + rs.getLong(1) + " rows");
                            }
                        }
                        if (holdMs > 0) {
                            Thread.sleep(holdMs);
                        }
                        long t1 = System.nanoTime();
                        try (PreparedStatement p = c.prepareStatement("CALL _devdb_pool.drop_database(?)")) {
                            p.setString(1, db);
                            p.execute();
                        }
                        drop.add((System.nanoTime() - t1) / 1e6);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        long began = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        running.set(false);
        monitor.join();
        if (!failures.isEmpty()) {
            failures.get(0).printStackTrace();
            System.exit(1);
        }
        int empty = (int) ready.stream().filter(n -> n == 0).count();
        System.out.printf(Locale.ROOT, "handouts=%d seconds=%.2f rate=%.1f handout_p50=%.1f handout_p95=%.1f "
                + "handout_max=%.1f drop_p50=%.1f drop_p95=%.1f ready_min=%d ready_p50=%d empty_share=%.2f distinct=%d%n",
                handOut.size(), seconds, handOut.size() / seconds, pct(handOut, 50), pct(handOut, 95), pct(handOut, 100),
                pct(drop, 50), pct(drop, 95), ready.stream().min(Integer::compare).orElse(-1),
                (int) pct(new ArrayList<>(ready.stream().map(Integer::doubleValue).toList()), 50),
                ready.isEmpty() ? 0.0 : empty / (double) ready.size(), names.size());
    }

    private static double pct(List<Double> values, int p) {
        List<Double> v = new ArrayList<>(values);
        if (v.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(v);
        int i = (int) Math.ceil(p / 100.0 * v.size()) - 1;
        return v.get(Math.max(0, Math.min(v.size() - 1, i)));
    }

    private PoolBench() {}
}
