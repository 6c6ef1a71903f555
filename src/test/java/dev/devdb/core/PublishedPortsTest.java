package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.engine.Endpoint;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a published port is, and the address a client on this machine uses, for each kind of engine. */
class PublishedPortsTest {
    static final Endpoint SOCKET = new Endpoint("unix:///var/run/docker.sock", Endpoint.Origin.DEFAULT, null, null);
    static final Endpoint LOCAL_TCP = new Endpoint("tcp://127.0.0.1:2376", Endpoint.Origin.DOCKER_CONTEXT, "c", null);
    static final Endpoint REMOTE = new Endpoint("tcp://build.example.com:2376", Endpoint.Origin.DOCKER_HOST, null, null);

    @Test
    void an_engine_on_this_machine_is_reached_on_its_loopback_whatever_the_bind() {
        for (Endpoint e : List.of(SOCKET, LOCAL_TCP)) {
            assertEquals("127.0.0.1", PublishedPorts.clientHost(e, "127.0.0.1"));
            assertEquals("127.0.0.1", PublishedPorts.clientHost(e, "0.0.0.0"));
            assertEquals("127.0.0.1", PublishedPorts.clientHost(e, "::"));
            assertEquals("192.168.1.5", PublishedPorts.clientHost(e, "192.168.1.5"));
            assertTrue(PublishedPorts.reachable(e, "127.0.0.1"));
        }
    }

    @Test
    void a_remote_engine_is_reached_at_its_host_only_when_bound_beyond_its_loopback() {
        assertEquals("127.0.0.1", PublishedPorts.clientHost(REMOTE, "127.0.0.1"), "through a forward");
        assertFalse(PublishedPorts.reachable(REMOTE, "127.0.0.1"));
        assertEquals("build.example.com", PublishedPorts.clientHost(REMOTE, "0.0.0.0"));
        assertTrue(PublishedPorts.reachable(REMOTE, "0.0.0.0"));
        assertEquals("10.0.0.5", PublishedPorts.clientHost(REMOTE, "10.0.0.5"));
        assertTrue(PublishedPorts.reachable(REMOTE, "10.0.0.5"));
    }

    @Test
    void the_forward_goes_through_the_ssh_endpoints_own_port_and_user() {
        Endpoint ssh = new Endpoint("ssh://deploy@build.example.com:2222", Endpoint.Origin.DOCKER_HOST, null, null);
        assertEquals("port 33061 is on the loopback of build.example.com, where the engine runs, not on this machine's:"
                + " forward it first (ssh -NL 33061:127.0.0.1:33061 -p 2222 deploy@build.example.com), then connect to"
                + " 127.0.0.1:33061", PublishedPorts.forwardNote(ssh, Map.of(), 33061));
        Endpoint v6 = new Endpoint("ssh://[2001:db8::5]", Endpoint.Origin.DOCKER_HOST, null, null);
        assertEquals("port 33061 is on the loopback of 2001:db8::5, where the engine runs, not on this machine's:"
                + " forward it first (ssh -NL 33061:[::1]:33061 2001:db8::5), then connect to 127.0.0.1:33061",
                PublishedPorts.forwardNote(v6, Map.of(Labels.BIND, "::1"), 33061));
        assertEquals(null, PublishedPorts.forwardNote(ssh, Map.of(Labels.BIND, "0.0.0.0"), 33061), "no forward needed");
        assertEquals(null, PublishedPorts.forwardNote(LOCAL_TCP, Map.of(), 33061));
    }

    @Test
    void up_says_how_to_forward_a_port_on_a_remote_loopback() {
        assertEquals(List.of("port 33061 is on the loopback of build.example.com, where the engine runs, not on this"
                + " machine's: forward it first (ssh -NL 33061:127.0.0.1:33061 build.example.com), then connect to"
                + " 127.0.0.1:33061; or publish it where this machine reaches it (up --recreate --bind ADDRESS)"),
                PublishedPorts.notes(REMOTE, Map.of(), 33061));
        assertEquals(List.of(), PublishedPorts.notes(SOCKET, Map.of(Labels.BIND, "127.0.0.1"), 33061));
    }

    @Test
    void up_says_who_can_reach_a_port_bound_beyond_loopback() {
        assertEquals(List.of("port 33061 is published on every interface of build.example.com (--bind 0.0.0.0):"
                + " whoever reaches that host can try to log in, and the password is all that stops them"),
                PublishedPorts.notes(REMOTE, Map.of(Labels.BIND, "0.0.0.0"), 33061));
        assertTrue(PublishedPorts.notes(SOCKET, Map.of(Labels.BIND, "192.168.1.5"), 1).get(0)
                .startsWith("port 1 is published on 192.168.1.5 of this machine (--bind): whoever reaches"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "10.1.2.3", "::", "::1", "fd00::5", "[::1]"})
    void bind_takes_ip_addresses(String address) {
        assertEquals(address.replace("[", "").replace("]", ""), PublishedPorts.checkBind(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "256.1.1.1", "1.2.3", "", "0.0.0.0:3306", "::g", "1.2.3.4 "
            + "; rm -rf /"})
    void bind_refuses_anything_else_with_exit_2(String address) {
        DevDbException e = assertThrows(DevDbException.class, () -> PublishedPorts.checkBind(address));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--bind '" + address + "' is not an IP address"), e.getMessage());
    }

    @Test
    void without_bind_the_port_is_on_loopback() {
        assertEquals("127.0.0.1", PublishedPorts.checkBind(null));
        assertEquals("127.0.0.1", PublishedPorts.bind(Map.of()));
    }
}
