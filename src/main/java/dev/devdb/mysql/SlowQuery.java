package dev.devdb.mysql;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One entry of a slow query log, as MySQL and MariaDB write it.
 *
 * @param time when the statement started ({@code SET timestamp=...}), else when it was logged
 *     ({@code # Time:}); null when the entry carries neither
 * @param user the account's user name, or null
 * @param host the client's host name or address, or null
 * @param threadId the connection id, or null
 * @param database the default database ({@code use db;}, MariaDB's {@code Schema:}), or null
 * @param queryTime seconds the statement took
 * @param lockTime seconds it waited for locks
 * @param rowsSent rows sent to the client
 * @param rowsExamined rows the server read
 * @param attributes every other header field, as written (Rows_affected, Bytes_sent, QC_hit, Errno, ...)
 * @param sql the statement, without the trailing semicolon the log adds
 * @param lines the entry's lines as they are in the log
 */
public record SlowQuery(
        Instant time,
        String user,
        String host,
        Long threadId,
        String database,
        double queryTime,
        double lockTime,
        long rowsSent,
        long rowsExamined,
        Map<String, String> attributes,
        String sql,
        List<String> lines) {}
