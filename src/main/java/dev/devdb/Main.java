package dev.devdb;

import dev.devdb.cli.Context;
import dev.devdb.cli.DevDb;
import dev.devdb.error.ExitCodes;

/** Entry point of the devdb command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        onSigtermExitAsInterrupted();
        System.exit(DevDb.commandLine(Context.system(), args).execute(args));
    }

    /**
     * SIGTERM (a CI job cancelled, `timeout`, `kill`) ends devdb as Ctrl-C does: the same clean-up in the
     * shutdown hooks, and the documented exit code 130 rather than the JVM's own 143.
     */
    private static void onSigtermExitAsInterrupted() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(ExitCodes.INTERRUPTED));
        } catch (IllegalArgumentException e) {
            // the JVM keeps SIGTERM to itself here (-Xrs): it exits with 143, after the same clean-up
        }
    }
}
