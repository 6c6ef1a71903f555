package dev.devdb.cli;

import dev.devdb.error.ControlCharacters;
import dev.devdb.core.Instances;
import dev.devdb.core.Scope;
import dev.devdb.engine.DockerEngine;
import dev.devdb.engine.Engine;
import dev.devdb.profile.ProfileCatalog;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything a command needs from the outside world: its streams, environment, working
 * directory and Docker engine. Main uses the process's own; tests pass their own.
 */
public final class Context {
    private final PrintWriter out;
    private final PrintWriter err;
    private final PrintWriter terminalErr;
    private final Map<String, String> env;
    private final Path cwd;
    private final Function<Map<String, String>, Engine> engines;
    private final boolean stdinTerminal;
    private final boolean stdoutTerminal;
    private final boolean stderrTerminal;
    private Engine engine;
    private OutputStream rawOut;
    private Stdout stdout;
    private OutputStream rawErr;
    private InputStream in = InputStream.nullInputStream();
    private String scopeOption;
    // UTC: the commands read instants only, and the default zone costs reading the time zone database
    private Clock clock = Clock.systemUTC();

    public Context(PrintWriter out, PrintWriter err, Map<String, String> env, Path cwd,
            Function<Map<String, String>, Engine> engines, boolean stdinTerminal, boolean stdoutTerminal,
            boolean stderrTerminal) {
        this.out = out;
        this.terminalErr = err;
        this.err = new PrintWriter(new EscapingWriter(err), true);
        this.env = env;
        this.cwd = cwd;
        this.engines = engines;
        this.stdinTerminal = stdinTerminal;
        this.stdoutTerminal = stdoutTerminal;
        this.stderrTerminal = stderrTerminal;
    }

    /** The context of this process. */
    public static Context system() {
        Context c = new Context(null, new PrintWriter(System.err, true), System.getenv(), Path.of("").toAbsolutePath(),
                DockerEngine::connect, isTerminal(0), isTerminal(1), isTerminal(2))
                .withStdout(new FileOutputStream(FileDescriptor.out));
        c.rawErr = System.err;
        c.in = System.in;
        return c;
    }

    /** This context writing its standard output to the given stream, unbuffered, and noticing when it closes. */
    Context withStdout(OutputStream fd) {
        Stdout stdout = new Stdout(fd);
        Context c = new Context(new PrintWriter(new OutputStreamWriter(stdout), true), terminalErr, env, cwd, engines,
                stdinTerminal, stdoutTerminal, stderrTerminal);
        c.stdout = stdout;
        c.rawOut = stdout;
        c.rawErr = rawErr;
        c.in = in;
        c.scopeOption = scopeOption;
        c.clock = clock;
        return c;
    }

    /**
     * Whether whoever reads standard output has gone away (the pipe's reader closed it early, as
     * {@code | head} does): a command then stops, and devdb exits with 141, as a process killed by
     * SIGPIPE would.
     */
    public boolean stdoutClosed() {
        return stdout != null && stdout.closed;
    }

    /**
     * The process's standard output, unbuffered. Unlike {@code System.out}, which keeps write errors to
     * itself, a write to a pipe whose reader has gone fails, then and every time after.
     */
    private static final class Stdout extends OutputStream {
        private final OutputStream fd;
        private volatile boolean closed;

        Stdout(OutputStream fd) {
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("standard output is closed");
            }
            try {
                fd.write(b, off, len);
            } catch (IOException e) {
                closed = true;
                throw e;
            }
        }
    }

    /** Standard input as bytes (empty unless this is the process's context or {@link #withInput} gave one). */
    public InputStream in() {
        return in;
    }

    /** This context with the given standard input, for tests. */
    public Context withInput(InputStream input) {
        Context c = new Context(out, terminalErr, env, cwd, engines, stdinTerminal, stdoutTerminal, stderrTerminal);
        c.stdout = stdout;
        c.rawOut = rawOut;
        c.rawErr = rawErr;
        c.in = input;
        c.scopeOption = scopeOption;
        c.clock = clock;
        return c;
    }

    /** The time, as every command reads it: the system's clock, or a test's. */
    public Clock clock() {
        return clock;
    }

    /** This context reading the time from the given clock, for tests. */
    public Context withClock(Clock clock) {
        Context c = withInput(in);
        c.clock = clock;
        return c;
    }

    /** Stdout as bytes, for data that is not text of ours (dumps). */
    public OutputStream rawOut() {
        if (rawOut == null) {
            rawOut = new WriterStream(out);
        }
        return rawOut;
    }

    /** Stderr as bytes, for diagnostics of tools run in the container. */
    public OutputStream rawErr() {
        if (rawErr == null) {
            rawErr = new WriterStream(terminalErr);
        }
        return rawErr;
    }

    /** Writes text with its control characters escaped, line feeds and tabs excepted. */
    private static final class EscapingWriter extends Writer {
        private final Writer target;

        EscapingWriter(Writer target) {
            this.target = target;
        }

        @Override
        public void write(char[] text, int off, int len) throws IOException {
            StringBuilder b = null;
            for (int i = off; i < off + len; i++) {
                char c = text[i];
                if (c != '\n' && c != '\t' && ControlCharacters.isControl(c)) {
                    if (b == null) {
                        b = new StringBuilder(len + 8).append(text, off, i - off);
                    }
                    ControlCharacters.appendEscaped(b, c);
                } else if (b != null) {
                    b.append(c);
                }
            }
            if (b == null) {
                target.write(text, off, len);
            } else {
                target.write(b.toString());
            }
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }

        @Override
        public void close() throws IOException {
            target.close();
        }
    }

    /**
     * Stderr as bytes for the diagnostics of a program devdb runs on its own behalf (a dump, an import):
     * decoded as UTF-8 and written through {@link #err()}, so control characters in them are escaped.
     */
    public OutputStream escapedErr() {
        return new WriterStream(err);
    }

    /** Bytes decoded as UTF-8 onto a writer, characters split across writes included. */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter writer;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final ByteBuffer pending = ByteBuffer.allocate(8192);
        private final CharBuffer chars = CharBuffer.allocate(8192);

        WriterStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            while (len > 0) {
                int n = Math.min(len, pending.remaining());
                pending.put(b, off, n);
                off += n;
                len -= n;
                pending.flip();
                decoder.decode(pending, chars, false);
                chars.flip();
                writer.append(chars);
                chars.clear();
                pending.compact();
            }
        }

        @Override
        public void flush() {
            writer.flush();
        }
    }

    private static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }

    public PrintWriter out() {
        return out;
    }

    /**
     * Stderr for devdb's own messages: every control character but line feed and tab is escaped on
     * its way out ({@code \x1b}), so nothing quoted from input can drive the terminal.
     */
    public PrintWriter err() {
        return err;
    }

    /**
     * Stderr as it is, for the control sequences devdb itself writes (a progress line redrawn in
     * place); text from anywhere else goes through {@link #err()}.
     */
    PrintWriter terminalErr() {
        err.flush();
        return terminalErr;
    }

    public Map<String, String> env() {
        return env;
    }

    public Path cwd() {
        return cwd;
    }

    public boolean stdinTerminal() {
        return stdinTerminal;
    }

    public boolean stdoutTerminal() {
        return stdoutTerminal;
    }

    public boolean stderrTerminal() {
        return stderrTerminal;
    }

    /** Colour only on a terminal, and never when NO_COLOR is set. */
    public boolean color() {
        String noColor = env.get("NO_COLOR");
        return stdoutTerminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
    }

    /** The engine, connected on first use. */
    public synchronized Engine engine() {
        if (engine == null) {
            engine = engines.apply(env);
        }
        return engine;
    }

    public ProfileCatalog catalog() {
        return ProfileCatalog.standard(env, cwd);
    }

    /** Sets the scope the command line gave with {@code --scope}. */
    void scopeOption(String scope) {
        this.scopeOption = scope;
    }

    /** The scope commands stay within: {@code --scope}, else DEVDB_SCOPE, else the default scope. */
    public Scope scope() {
        return scopeOption != null ? Scope.of(scopeOption, "--scope") : Scope.of(env.get("DEVDB_SCOPE"), "DEVDB_SCOPE");
    }

    public Instances instances() {
        return new Instances(engine(), catalog(), env.get("DEVDB_REGISTRY"), scope(), clock);
    }
}
