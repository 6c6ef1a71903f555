package dev.devdb;

import dev.devdb.cli.Context;
import dev.devdb.cli.DevDb;

/** Entry point of the devdb command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(DevDb.commandLine(Context.system(), args).execute(args));
    }
}
