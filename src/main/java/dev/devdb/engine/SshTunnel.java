package dev.devdb.engine;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An {@code ssh://[user@]host[:port]} endpoint made reachable for a Docker client that speaks only
 * to sockets, through the system's {@code ssh}. One ssh connection (a ControlMaster) asks the
 * remote docker command which engine it uses ({@code docker context inspect}: the socket
 * {@code DOCKER_HOST} or the current context names there), then forwards a unix socket in a
 * private local directory (mode 0700) to that socket; every connection of the client is a channel
 * of that one ssh connection, without a handshake or a remote process of its own.
 *
 * <p>ssh runs in batch mode (it never asks for a password, a passphrase or a host key), and in a
 * session of its own where {@code setsid} exists, so that a Ctrl-C on the terminal reaches devdb,
 * which may still need the engine to clean up, and not ssh. The remote command ends when its input
 * does, and that input is a pipe from this process: however devdb ends, ssh ends with it. The local
 * socket and its directory are removed when the engine is closed or the JVM exits.
 */
final class SshTunnel implements AutoCloseable {
    private static final String MARK = "devdb-ssh-endpoint ";

    /**
     * Why the remote engine could not be reached, for the message "cannot reach the Docker engine
     * at ENDPOINT: REASON; FIX".
     */
    record Failure(String reason, String fix) {}

    /** Where ssh connects: {@code user} may be null (ssh's own default), {@code port} -1 (ssh's default). */
    record Target(String user, String host, int port) {
        static Target of(String uri) {
            URI u = URI.create(uri);
            String h = u.getHost();
            if (h != null && h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            return new Target(u.getUserInfo(), h, u.getPort());
        }

        /** The target as the ssh command takes it: {@code -l USER -p PORT -- HOST}. */
        List<String> arguments() {
            List<String> o = new ArrayList<>();
            if (user != null) {
                o.add("-l");
                o.add(user);
            }
            if (port > 0) {
                o.add("-p");
                o.add(Integer.toString(port));
            }
            o.add("--");
            o.add(host);
            return o;
        }

        /** How a person would type it: {@code ssh -p 2222 root@host}. */
        String command() {
            return "ssh " + (port > 0 ? "-p " + port + " " : "") + (user != null ? user + "@" : "") + host;
        }

        /** The name known_hosts files it under: {@code host}, or {@code [host]:port} for another port. */
        String knownHostsName() {
            return port > 0 && port != 22 ? "[" + host + "]:" + port : host;
        }
    }

    private final Target target;
    private final List<String> ssh;
    private final Path directory;
    private final Path socket;
    private final Path control;
    private Process master;
    private Captured masterErrors;
    private String remoteEndpoint;
    private volatile Failure failure;

    private SshTunnel(Target target, List<String> ssh, Path directory) {
        this.target = target;
        this.ssh = ssh;
        this.directory = directory;
        this.socket = directory.resolve("docker.sock");
        this.control = directory.resolve("ssh.ctl");
    }

    /**
     * Connects and forwards the local socket, or keeps why it could not ({@link #failure}): the
     * client's first request then fails with that reason.
     *
     * @param uri the {@code ssh://} endpoint, as {@link DockerHost#parse} accepted it
     * @param sshCommand the ssh command and options to start with ({@code DEVDB_SSH_COMMAND}, split at
     *     spaces), or null for {@code ssh}
     * @throws IOException when no private directory can be made for the socket
     */
    static SshTunnel open(String uri, String sshCommand) throws IOException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            command.add("setsid");
            command.add("-w");
        }
        if (sshCommand == null || sshCommand.isBlank()) {
            command.add("ssh");
        } else {
            command.addAll(List.of(sshCommand.trim().split("\\s+")));
        }
        command.addAll(List.of("-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=15",
                "-o", "ServerAliveCountMax=4", "-o", "ExitOnForwardFailure=yes"));
        Path directory = Files.createTempDirectory("devdb-ssh-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // removed at exit after every shutdown hook has run (a cleanup may still need the engine),
        // the sockets before their directory
        directory.toFile().deleteOnExit();
        directory.resolve("ssh.ctl").toFile().deleteOnExit();
        directory.resolve("docker.sock").toFile().deleteOnExit();
        SshTunnel tunnel = new SshTunnel(Target.of(uri), List.copyOf(command), directory);
        tunnel.connect();
        return tunnel;
    }

    /** The socket a Docker client connects to: {@code unix:///tmp/devdb-ssh-.../docker.sock}. */
    String socketUri() {
        return "unix://" + socket;
    }

    /** The engine the remote docker command uses, as it names it ({@code unix:///var/run/docker.sock}), or null. */
    String remoteEndpoint() {
        return remoteEndpoint;
    }

    /**
     * Why the engine cannot be reached through this tunnel, or null when nothing is known to be
     * wrong: a failure to connect, else what ssh said about a forwarded connection it could not open.
     */
    Failure failure() {
        if (failure != null) {
            return failure;
        }
        Captured errors = masterErrors;
        if (errors == null) {
            return null;
        }
        String said = errors.now();
        if (said.contains("open failed") || !master.isAlive()) {
            return classify(said, master.isAlive() ? 0 : master.exitValue(), target);
        }
        return null;
    }

    private void connect() {
        List<String> command = new ArrayList<>(ssh);
        command.addAll(List.of("-M", "-S", control.toString(), "-o", "ControlPersist=no"));
        command.addAll(target.arguments());
        // One line naming the engine, then the session waits for its input to end: when this
        // process's pipe closes, the master ends.
        command.add("docker context inspect --format '" + MARK + "{{.Endpoints.docker.Host}}' && exec cat >/dev/null");
        try {
            master = new ProcessBuilder(command).start();
        } catch (IOException e) {
            failure = noSsh(e.getMessage());
            return;
        }
        masterErrors = new Captured(master.getErrorStream());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(master.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while (remoteEndpoint == null && (line = out.readLine()) != null) {
                if (line.startsWith(MARK)) {
                    remoteEndpoint = line.substring(MARK.length()).strip();
                }
            }
            if (remoteEndpoint == null) {
                int exit = master.waitFor();
                failure = classify(masterErrors.text(), exit, target);
                return;
            }
            if (!remoteEndpoint.startsWith("unix://")) {
                failure = new Failure("the docker command on " + target.knownHostsName() + " uses the engine at "
                        + remoteEndpoint + ", and devdb forwards only an engine's unix socket over ssh",
                        "point DOCKER_HOST at " + remoteEndpoint + " itself");
                return;
            }
            String remoteSocket = URI.create(remoteEndpoint).getPath();
            List<String> forward = new ArrayList<>(ssh);
            forward.addAll(List.of("-S", control.toString(), "-O", "forward", "-L", socket + ":" + remoteSocket));
            forward.addAll(target.arguments());
            Process p = new ProcessBuilder(forward).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Captured errors = new Captured(p.getErrorStream());
            int exit = p.waitFor();
            if (exit != 0) {
                failure = new Failure("ssh could not forward " + socket + " to " + remoteSocket + " on "
                        + target.knownHostsName() + ": " + lastLine(errors.text()), "check that `"
                        + target.command() + " docker version` works");
            }
        } catch (IOException e) {
            failure = new Failure("ssh to " + target.knownHostsName() + " failed: " + e.getMessage(),
                    "check that `" + target.command() + " docker version` works");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new Failure("interrupted while connecting with ssh", "run the command again");
        }
    }

    /** What a process writes on standard error, read as it comes (so that it never blocks), kept up to 16 KB. */
    private static final class Captured {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread reader;

        Captured(InputStream in) {
            reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try (in) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        synchronized (kept) {
                            if (kept.size() < 16384) {
                                kept.write(buffer, 0, n);
                            }
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            }, "devdb-ssh-stderr");
            reader.setDaemon(true);
            reader.start();
        }

        /** What was written so far. */
        String now() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }

        /** All of it, once the process has exited. */
        String text() throws InterruptedException {
            reader.join(2000);
            return now();
        }
    }

    private static Failure noSsh(String why) {
        return new Failure("cannot run ssh: " + why, "install OpenSSH's client, or name the ssh command in"
                + " DEVDB_SSH_COMMAND");
    }

    static Failure classify(String stderr, int exit, Target target) {
        String text = stderr.replaceAll("[\\p{Cntrl}&&[^\\n]]", "");
        String lower = text.toLowerCase(Locale.ROOT);
        String where = target.knownHostsName();
        String manual = target.command();
        if (lower.contains("setsid: failed to execute")) {
            return noSsh(lastLine(text));
        }
        if (lower.contains("open failed")) {
            return new Failure("sshd on " + where + " could not connect devdb's forward to the engine's socket there:"
                    + " no engine listens on it, its user may not use it, or sshd does not allow forwarding to it"
                    + " (ssh said: " + lastLine(text) + ")", "start Docker there; sshd must allow local forwarding"
                    + " (AllowTcpForwarding and AllowStreamLocalForwarding yes, their defaults, or local); sshd's log"
                    + " says which");
        }
        if (lower.contains("remote host identification has changed")) {
            return new Failure("the host key of " + where + " has changed since it was recorded in known_hosts",
                    "if the host was reinstalled, check its new key and remove the old one with `ssh-keygen -R '"
                    + where + "'`; otherwise someone may be in between: do not connect");
        }
        if (lower.contains("host key verification failed") || lower.contains("host key is known for")) {
            return new Failure("ssh does not know the host key of " + where + " (devdb runs ssh in batch mode"
                    + " and never accepts a key itself)", "connect once with `" + manual + "`, check the key"
                    + " and accept it, or add it to ~/.ssh/known_hosts (ssh-keyscan)");
        }
        if (lower.contains("permission denied (")) {
            int open = text.indexOf("Permission denied (");
            int close = open < 0 ? -1 : text.indexOf(')', open);
            String methods = close > 0 ? " (" + text.substring(open + "Permission denied (".length(), close) + ")" : "";
            return new Failure(where + " refused authentication" + (target.user() != null ? " as "
                    + target.user() : "") + methods, "devdb runs ssh in batch mode: it cannot type a password or"
                    + " a key's passphrase; load the key into ssh-agent, or name it in ~/.ssh/config (IdentityFile),"
                    + " and check that `" + manual + " docker version` works");
        }
        if (lower.contains("could not resolve hostname")) {
            return new Failure("ssh cannot resolve the host name " + target.host(), "check the host in the endpoint");
        }
        if (lower.contains("connection refused")) {
            return new Failure("nothing accepts ssh connections at " + where + " (connection refused)",
                    "start sshd there, or check the host and port in the endpoint");
        }
        if (lower.contains("timed out") || lower.contains("no route to host") || lower.contains("network is unreach")) {
            return new Failure("ssh cannot reach " + where + ": " + lastLine(text),
                    "check the host and port in the endpoint, and the network on the way");
        }
        if (exit == 127 || lower.contains("docker: not found") || lower.contains("docker: command not found")) {
            return new Failure(where + " has no docker command for the ssh user (the remote shell said: "
                    + lastLine(text) + ")", "install the Docker CLI there, or put it on the PATH of non-interactive"
                    + " ssh sessions: devdb asks it which engine it uses (`docker context inspect`)");
        }
        if (lower.contains("cannot connect to the docker daemon") || lower.contains("is the docker daemon running")) {
            return new Failure("the docker command on " + where + " cannot reach its engine: " + lastLine(text),
                    "start Docker there");
        }
        if (lower.contains("permission denied while trying to connect")) {
            return new Failure("the ssh user on " + where + " may not use its Docker engine: " + lastLine(text),
                    "add that user to the docker group there, or connect as another");
        }
        String said = lastLine(text);
        return new Failure("ssh to " + where + " failed (exit status " + exit + ")"
                + (said.isEmpty() ? "" : ": " + said), "check that `" + manual + " docker version` works");
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (!l.isEmpty() && !l.startsWith("Warning: Permanently added")) {
                return l;
            }
        }
        return "";
    }

    /** Ends ssh and removes the local sockets. */
    @Override
    public void close() {
        if (master != null) {
            master.descendants().forEach(ProcessHandle::destroy);
            master.destroy();
        }
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(control);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // removed at exit
        }
    }
}
