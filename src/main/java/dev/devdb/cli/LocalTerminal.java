package dev.devdb.cli;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Sessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.EnumSet;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingInputStream;
import org.jline.utils.Signals;

/**
 * This process's terminal in raw mode, handed whole to a command in a container: every key goes
 * to the command (Ctrl-C and Ctrl-Z included, as bytes), nothing is echoed or translated locally,
 * and the window size follows SIGWINCH. {@link #close} restores the terminal exactly as found;
 * JLine's shutdown hook does the same when the process is killed (SIGTERM, SIGHUP).
 */
final class LocalTerminal implements Sessions.Tty, AutoCloseable {
    private final Terminal terminal;
    private final Input input;
    private final OutputStream output;
    private Object previousWinch;

    private LocalTerminal(Terminal terminal) {
        this.terminal = terminal;
        this.input = new Input((NonBlockingInputStream) terminal.input());
        this.output = terminal.output();
    }

    /** Takes over the process's terminal (stdin and stdout must both be one). */
    static LocalTerminal open() {
        Terminal terminal;
        try {
            // nativeSignals off: JLine would otherwise reset SIGINT and SIGTERM to the OS default,
            // skipping the shutdown hook that restores the terminal
            terminal = TerminalBuilder.builder().system(true).dumb(false).nativeSignals(false).build();
        } catch (IOException | RuntimeException e) {
            throw new DevDbException(ExitCodes.FAILURE, "cannot take over the terminal: " + e.getMessage()
                    + "; pass SQL with -e or on stdin instead", e);
        }
        LocalTerminal local = new LocalTerminal(terminal);
        terminal.setAttributes(raw(terminal.getAttributes()));
        return local;
    }

    /** What cfmakeraw(3) does, on the flags a terminal session cares about. */
    static Attributes raw(Attributes cooked) {
        Attributes raw = new Attributes(cooked);
        raw.setInputFlags(EnumSet.of(InputFlag.IGNBRK, InputFlag.BRKINT, InputFlag.PARMRK, InputFlag.ISTRIP,
                InputFlag.INLCR, InputFlag.IGNCR, InputFlag.ICRNL, InputFlag.IXON), false);
        raw.setOutputFlag(OutputFlag.OPOST, false);
        raw.setLocalFlags(EnumSet.of(LocalFlag.ECHO, LocalFlag.ECHONL, LocalFlag.ICANON, LocalFlag.ISIG,
                LocalFlag.IEXTEN), false);
        raw.setControlChar(ControlChar.VMIN, 1);
        raw.setControlChar(ControlChar.VTIME, 0);
        return raw;
    }

    /** The session's streams: keys in, everything out on the terminal. */
    Sessions.Io io() {
        return new Sessions.Io(input, output, output, this);
    }

    @Override
    public int columns() {
        return size().getColumns();
    }

    @Override
    public int rows() {
        return size().getRows();
    }

    private Size size() {
        try {
            return terminal.getSize();
        } catch (RuntimeException e) {
            return new Size(0, 0);
        }
    }

    @Override
    public synchronized void onResize(Runnable callback) {
        previousWinch = Signals.register("WINCH", callback);
    }

    @Override
    public synchronized void close() {
        input.stop();
        if (previousWinch != null) {
            Signals.unregister("WINCH", previousWinch);
        }
        try {
            output.flush();
        } catch (IOException e) {
            // the terminal is gone; restoring it below may fail too
        }
        try {
            terminal.close(); // restores the attributes JLine read when it opened the terminal
        } catch (IOException | RuntimeException e) {
            // nothing better to do on the way out
        }
    }

    /** The keys typed, until {@link #stop}: then the end of the stream, so the forwarding thread ends. */
    private static final class Input extends InputStream {
        private final NonBlockingInputStream keys;
        private volatile boolean stopped;

        Input(NonBlockingInputStream keys) {
            this.keys = keys;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int c;
            do {
                if (stopped) {
                    return -1;
                }
                c = keys.read(100L);
            } while (c == NonBlockingInputStream.READ_EXPIRED);
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            int n = 1;
            // what else is already there (an escape sequence, a paste) goes in the same write
            while (n < len && (c = keys.read(1L)) >= 0) {
                b[off + n++] = (byte) c;
            }
            return n;
        }
    }
}
