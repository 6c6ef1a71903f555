package dev.devdb.mysql;

import java.time.Instant;
import java.util.List;

/**
 * The statements of a slow log that share one fingerprint, with their statistics.
 *
 * @param id a stable 16-hex-digit id of the fingerprint
 * @param fingerprint the statement with its values taken out
 * @param count how many times it was logged
 * @param totalTime seconds, all executions together
 * @param minTime seconds, fastest execution
 * @param maxTime seconds, slowest execution
 * @param p95Time seconds, 95th percentile (nearest rank)
 * @param lockTime seconds waited for locks, all executions together
 * @param rowsExamined rows read, all executions together
 * @param rowsSent rows sent, all executions together
 * @param databases the default databases it ran in, most frequent first
 * @param users the accounts that ran it ({@code user@host}), most frequent first
 * @param firstSeen earliest time logged, or null
 * @param lastSeen latest time logged, or null
 * @param example the slowest execution's statement, as written
 */
public record QueryClass(
        String id,
        String fingerprint,
        long count,
        double totalTime,
        double minTime,
        double maxTime,
        double p95Time,
        double lockTime,
        long rowsExamined,
        long rowsSent,
        List<String> databases,
        List<String> users,
        Instant firstSeen,
        Instant lastSeen,
        String example) {

    public double avgTime() {
        return count == 0 ? 0 : totalTime / count;
    }

    public double avgRowsExamined() {
        return count == 0 ? 0 : (double) rowsExamined / count;
    }

    public double avgRowsSent() {
        return count == 0 ? 0 : (double) rowsSent / count;
    }
}
