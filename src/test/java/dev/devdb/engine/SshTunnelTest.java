package dev.devdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What devdb says when ssh fails, from what OpenSSH 9 writes on standard error. */
class SshTunnelTest {
    private static final SshTunnel.Target TARGET = SshTunnel.Target.of("ssh://root@127.0.0.1:42022");

    @Test
    void the_target_becomes_ssh_arguments_after_a_double_dash() {
        assertEquals(java.util.List.of("-l", "root", "-p", "42022", "--", "127.0.0.1"), TARGET.arguments());
        assertEquals(java.util.List.of("--", "::1"), SshTunnel.Target.of("ssh://[::1]").arguments());
        assertEquals("ssh -p 42022 root@127.0.0.1", TARGET.command());
        assertEquals("build.example", SshTunnel.Target.of("ssh://build.example:22").knownHostsName());
    }

    @Test
    void an_unknown_host_key_says_how_to_accept_it_by_hand() {
        SshTunnel.Failure f = SshTunnel.classify("No ED25519 host key is known for [127.0.0.1]:42022 and you have"
                + " requested strict checking.\nHost key verification failed.\n", 255, TARGET);
        assertEquals("ssh does not know the host key of [127.0.0.1]:42022 (devdb runs ssh in batch mode and never"
                + " accepts a key itself)", f.reason());
        assertTrue(f.fix().contains("`ssh -p 42022 root@127.0.0.1`"), f.fix());
    }

    @Test
    void a_changed_host_key_is_not_waved_through() {
        SshTunnel.Failure f = SshTunnel.classify("@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!"
                + "     @\nHost key for [127.0.0.1]:42022 has changed and you have requested strict checking.\n"
                + "Host key verification failed.\n", 255, TARGET);
        assertEquals("the host key of [127.0.0.1]:42022 has changed since it was recorded in known_hosts",
                f.reason());
        assertTrue(f.fix().contains("ssh-keygen -R '[127.0.0.1]:42022'"), f.fix());
    }

    @Test
    void a_refused_key_names_the_user_and_the_methods_offered() {
        SshTunnel.Failure f = SshTunnel.classify("root@127.0.0.1: Permission denied (publickey).\n", 255, TARGET);
        assertEquals("[127.0.0.1]:42022 refused authentication as root (publickey)", f.reason());
        assertTrue(f.fix().contains("ssh-agent"), f.fix());
    }

    @Test
    void a_refused_connection_and_a_remote_without_docker_say_so() {
        assertEquals("nothing accepts ssh connections at [127.0.0.1]:42022 (connection refused)",
                SshTunnel.classify("ssh: connect to host 127.0.0.1 port 42022: Connection refused\n", 255, TARGET)
                        .reason());
        assertEquals("[127.0.0.1]:42022 has no docker command for the ssh user (the remote shell said: bash:"
                + " docker: command not found)", SshTunnel.classify("bash: docker: command not found\n", 127, TARGET)
                        .reason());
        assertTrue(SshTunnel.classify("channel 2: open failed: connect failed: open failed\n", 0, TARGET).reason()
                .startsWith("sshd on [127.0.0.1]:42022 could not connect devdb's forward to the engine's socket"));
    }

    @Test
    void control_characters_from_the_remote_never_reach_the_message() {
        String reason = SshTunnel.classify("\u001b[31mboom\u0007\n", 1, TARGET).reason();
        assertEquals("ssh to [127.0.0.1]:42022 failed (exit status 1): [31mboom", reason);
    }
}
