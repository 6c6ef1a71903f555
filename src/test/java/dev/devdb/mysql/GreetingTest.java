package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GreetingTest {

    @Test
    void protocol_10_handshake_means_ready_with_the_server_version() {
        assertEquals(new Greeting.Answer(true, "8.4.5", null), Greeting.parse(Packets.handshakeV10("8.4.5")));
    }

    @Test
    void mariadb_version_string_is_kept_whole() {
        assertEquals("11.8.2-MariaDB-ubu2404",
                Greeting.parse(Packets.handshakeV10("11.8.2-MariaDB-ubu2404")).serverVersion());
    }

    @Test
    void error_packet_with_sql_state_gives_the_message() {
        Greeting.Answer answer = Greeting.parse(Packets.error(1040, "08004", "Too many connections"));

        assertEquals(new Greeting.Answer(false, null, "Too many connections"), answer);
    }

    @Test
    void error_packet_sent_before_the_handshake_gives_the_message() {
        Greeting.Answer answer = Greeting.parse(
                Packets.error(1130, null, "Host '172.17.0.1' is not allowed to connect to this MySQL server"));

        assertEquals(new Greeting.Answer(false, null,
                "Host '172.17.0.1' is not allowed to connect to this MySQL server"), answer);
    }

    @Test
    void any_other_packet_is_neither_ready_nor_an_error() {
        assertEquals(new Greeting.Answer(false, null, null), Greeting.parse(new byte[] {9, '5', '.', '0', 0}));
        assertEquals(new Greeting.Answer(false, null, null), Greeting.parse(new byte[] {0, 0, 0, 2, 0}));
    }

    @Test
    void probe_reads_the_greeting_of_a_listening_server() throws IOException {
        try (FakeMysqlServer server = FakeMysqlServer.greeting(0, "9.7.0")) {
            assertEquals(new Greeting.Answer(true, "9.7.0", null), Greeting.probe("127.0.0.1", server.port(), 2000));
        }
    }

    @Test
    void probe_reports_the_refusal_of_a_server() throws IOException {
        byte[] refusal = Packets.frame(0, Packets.error(1040, "08004", "Too many connections"));
        try (FakeMysqlServer server = FakeMysqlServer.sending(0, refusal)) {
            assertEquals(new Greeting.Answer(false, null, "Too many connections"),
                    Greeting.probe("127.0.0.1", server.port(), 2000));
        }
    }

    @Test
    void probe_of_a_listener_that_says_nothing_is_not_ready() throws IOException {
        try (FakeMysqlServer server = FakeMysqlServer.sending(0, new byte[0])) {
            assertEquals(new Greeting.Answer(false, null, null), Greeting.probe("127.0.0.1", server.port(), 2000));
        }
    }

    @Test
    void probe_of_a_closed_port_is_not_ready() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }

        assertEquals(new Greeting.Answer(false, null, null), Greeting.probe("127.0.0.1", port, 500));
    }
}
