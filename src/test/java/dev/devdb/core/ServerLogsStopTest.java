package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLogsStopTest {
    /** What MariaDB logs before it is ready; none of it is an error. */
    private static final List<String> STARTING = List.of(
            "2026-12-01 22:49:56 0 [Note] InnoDB: 128 rollback segments are active.",
            "2026-12-01 22:49:56 0 [Note] InnoDB: log sequence number 44894; transaction id 14",
            "2026-12-01 22:49:56 0 [Note] InnoDB: Loading buffer pool(s) from /var/lib/devdb/data/ib_buffer_pool",
            "2026-12-01 22:49:56 0 [Note] InnoDB: initialization has ended");

    @Test
    void error_lines_are_the_error_lines_without_timestamps() {
        List<String> logs = List.of(
                "2025-06-01 10:00:00+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.5 started.",
                "2025-06-01T10:00:01.100000Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld starting",
                "2025-06-01T10:00:01.200000Z 0 [ERROR] [MY-000067] [Server] unknown variable 'innodb_bogus=1'.",
                "2025-06-01T10:00:01.300000Z 0 [ERROR] [MY-010119] [Server] Aborting");

        assertEquals(List.of("[ERROR] [MY-000067] [Server] unknown variable 'innodb_bogus=1'.",
                "[ERROR] [MY-010119] [Server] Aborting"), ServerLogs.errorLines(logs));
        ServerLogs.Stop stop = ServerLogs.whyStopped(logs, 1);
        assertEquals(ServerLogs.errorLines(logs), stop.lines());
        assertEquals("[ERROR] [MY-000067] [Server] unknown variable 'innodb_bogus=1'.", stop.reason());
    }

    @Test
    void error_lines_understand_mariadb_clients_and_the_entrypoint() {
        List<String> logs = List.of(
                "2025-06-01 10:00:00+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is "
                        + "not specified",
                "2025-06-01 10:00:01 0 [ERROR] mariadbd: unknown variable 'innodb_bogus=1'",
                "error: database is uninitialized",
                "ERROR 2002 (HY000): Can't connect to local server");

        assertEquals(List.of(
                "[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified",
                "[ERROR] mariadbd: unknown variable 'innodb_bogus=1'",
                "error: database is uninitialized",
                "ERROR 2002 (HY000): Can't connect to local server"), ServerLogs.errorLines(logs));
    }

    @Test
    void a_killed_server_is_said_to_be_killed_and_no_line_of_its_start_is_quoted() {
        ServerLogs.Stop stop = ServerLogs.whyStopped(STARTING, 137);

        assertEquals(List.of(), stop.lines());
        assertEquals("it was killed with SIGKILL, by `docker kill` or by the out-of-memory killer (the container ran "
                + "out of memory)", stop.reason());
    }

    @Test
    void a_signal_from_outside_is_the_reason_and_earlier_errors_are_shown_beside_it() {
        List<String> logs = new ArrayList<>(STARTING);
        logs.add("2026-12-01 22:49:57 0 [ERROR] mariadbd: Can't open shared library 'x.so'");

        ServerLogs.Stop stop = ServerLogs.whyStopped(logs, 143);

        assertEquals(List.of("[ERROR] mariadbd: Can't open shared library 'x.so'"), stop.lines());
        assertEquals("it was stopped with SIGTERM, by `docker stop` or another process", stop.reason());
    }

    @Test
    void without_error_lines_or_a_signal_the_last_lines_are_shown_but_none_is_the_reason() {
        List<String> logs = new ArrayList<>();
        for (int i = 1; i <= 15; i++) {
            logs.add("line " + i);
        }

        ServerLogs.Stop stop = ServerLogs.whyStopped(logs, 1);

        assertEquals(logs.subList(5, 15), stop.lines());
        assertEquals("it logged no error", stop.reason());
        assertTrue(ServerLogs.whyStopped(STARTING, null).reason().equals("it logged no error"));
    }
}
