package dev.devdb.cli;

import dev.devdb.core.UpListener;
import dev.devdb.engine.PullProgress;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders progress on stderr: one updating line for a pull on a terminal; plain lines, one per
 * step and per layer state change, when stderr is a file or a pipe.
 */
final class ProgressPrinter implements UpListener {
    private final PrintWriter err;
    private final PrintWriter terminalErr;
    private final boolean terminal;
    private final boolean quiet;
    private final Map<String, long[]> layers = new HashMap<>();
    private final Map<String, String> layerStatus = new HashMap<>();
    private boolean lineOpen;

    ProgressPrinter(Context context, boolean quiet) {
        this.err = context.err();
        this.terminalErr = context.terminalErr();
        this.terminal = context.stderrTerminal();
        this.quiet = quiet;
    }

    /** With DEVDB_TRACE set, steps carry the time since the JVM started, for finding where time goes. */
    private static final boolean TRACE = System.getenv("DEVDB_TRACE") != null;

    @Override
    public synchronized void step(String message) {
        if (quiet && !TRACE) {
            return;
        }
        closeLine();
        if (TRACE) {
            long ms = System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            err.println(String.format(Locale.ROOT, "devdb: [%5d ms] %s", ms, message));
            err.flush();
            return;
        }
        err.println("devdb: " + message);
        err.flush();
    }

    @Override
    public synchronized void pull(PullProgress p) {
        if (quiet) {
            return;
        }
        if (p.layer() == null || p.status().startsWith("Pulling from")) {
            closeLine();
            err.println("devdb: " + p.status());
            err.flush();
            return;
        }
        if (!terminal) {
            String status = p.status().startsWith("Downloading") ? "Downloading" : p.status();
            status = status.startsWith("Extracting") ? "Extracting" : status;
            if (!status.equals(layerStatus.put(p.layer(), status))) {
                err.println("devdb: layer " + p.layer() + ": " + status);
                err.flush();
            }
            return;
        }
        if (p.status().startsWith("Downloading") && p.total() > 0) {
            layers.put(p.layer(), new long[] {p.current(), p.total()});
        } else if (p.status().equals("Download complete") || p.status().equals("Pull complete")
                || p.status().equals("Already exists")) {
            long[] l = layers.get(p.layer());
            if (l != null) {
                l[0] = l[1];
            }
        }
        layerStatus.put(p.layer(), p.status());
        long done = 0;
        long total = 0;
        for (long[] l : layers.values()) {
            done += l[0];
            total += l[1];
        }
        long complete = layerStatus.values().stream().filter(s -> s.equals("Pull complete")
                || s.equals("Already exists")).count();
        String line = String.format(Locale.ROOT, "devdb: pulling: %d/%d layers, %s of %s",
                complete, layerStatus.size(), mb(done), mb(total));
        err.flush();
        terminalErr.print("\r" + line + "\u001b[K");
        terminalErr.flush();
        lineOpen = true;
    }

    @Override
    public synchronized void warning(String message) {
        if (quiet) {
            return;
        }
        closeLine();
        err.println("devdb: warning: " + message);
        err.flush();
    }

    @Override
    public synchronized void serverErrors(List<String> lines) {
        closeLine();
        for (String l : lines) {
            err.println("  " + l);
        }
        err.flush();
    }

    private void closeLine() {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }
}
