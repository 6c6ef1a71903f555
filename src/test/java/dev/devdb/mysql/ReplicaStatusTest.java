package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplicaStatusTest {

    @Test
    void mysql_names_are_read() {
        ReplicaStatus s = ReplicaStatus.parse("""
                *************************** 1. row ***************************
                             Replica_IO_State: Waiting for source to send event
                                  Source_Host: db
                           Replica_IO_Running: Yes
                          Replica_SQL_Running: Yes
                                Last_IO_Error:\s
                               Last_SQL_Error:\s
                        Seconds_Behind_Source: 0
                            Executed_Gtid_Set: 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,
                4e11fa47-71ca-11e1-9e33-c80aa9429562:1-2
                *************************** 1. row ***************************
                Devdb_Caught_Up: 1
                """);
        assertTrue(s.configured());
        assertTrue(s.running());
        assertEquals(0L, s.secondsBehind());
        assertEquals("db", s.sourceHost());
        assertEquals("", s.errors());
    }

    @Test
    void mariadb_names_and_errors_are_read() {
        ReplicaStatus s = ReplicaStatus.parse("""
                *************************** 1. row ***************************
                                Slave_IO_State:\s
                                   Master_Host: db
                              Slave_IO_Running: No
                             Slave_SQL_Running: Yes
                                 Last_IO_Error: Fatal error: The slave I/O thread stops because master and slave have equal server ids
                                Last_SQL_Error:\s
                         Seconds_Behind_Master: NULL
                """);
        assertTrue(s.stopped());
        assertNull(s.secondsBehind());
        assertEquals("Last_IO_Error: Fatal error: The slave I/O thread stops because master and slave have equal "
                + "server ids", s.errors());
    }

    @Test
    void no_row_means_no_replica() {
        ReplicaStatus s = ReplicaStatus.parse("");
        assertFalse(s.configured());
        assertFalse(s.running());
    }
}
