import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * bench/run's first query, as an application on this machine makes it: over the published TCP port,
 * with the flavour's own JDBC driver (MySQL Connector/J for jdbc:mysql: URLs, MariaDB Connector/J for
 * jdbc:mariadb:). It runs as one process for the whole bench, so that no timing pays a JVM's start or
 * a driver's loading: bench/run writes one request a line on standard input (the URL, tab, the row
 * count `SELECT COUNT(*) FROM items` must return, tab, a deadline in milliseconds) and reads one line
 * back: `ok` once a fresh connection's query returned that count, else `failed: ` and the last error.
 * The URL carries the password, so it never appears among the process's arguments.
 *
 * Run as a single-file program: java -cp MYSQL_DRIVER:MARIADB_DRIVER FirstQuery.java
 */
public final class FirstQuery {
    /** Between two attempts, as a script's polling loop would pause. */
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    public static void main(String[] args) throws Exception {
        DriverManager.setLoginTimeout(5);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] request = line.split("\t");
            System.out.println(poll(request[0], Long.parseLong(request[1]), Long.parseLong(request[2])));
            System.out.flush();
        }
    }

    private static String poll(String url, long want, long deadlineMillis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        String last = "no attempt";
        while (System.nanoTime() < end) {
            try (Connection c = DriverManager.getConnection(url);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items")) {
                rs.next();
                long got = rs.getLong(1);
                if (got == want) {
                    return "ok";
                }
                last = "items has " + got + " rows";
            } catch (SQLException e) {
                last = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
            }
            LockSupport.parkNanos(PAUSE_NANOS);
        }
        return "failed: " + last;
    }

    private FirstQuery() {}
}
