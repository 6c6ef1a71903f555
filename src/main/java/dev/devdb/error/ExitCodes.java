package dev.devdb.error;

/** The exit codes devdb documents. Scripts may rely on them; never renumber. */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** Unexpected internal failure. */
    public static final int FAILURE = 1;
    /** Bad command-line usage (unknown option, missing argument). */
    public static final int USAGE = 2;
    /** A profile could not be found, parsed or validated. */
    public static final int PROFILE = 3;
    /** No Docker engine answered at the endpoint tried. */
    public static final int ENGINE_UNREACHABLE = 4;
    /** The image does not exist locally and could not be pulled. */
    public static final int IMAGE = 5;
    /** The requested host port is already in use. */
    public static final int PORT_IN_USE = 6;
    /** The name is taken: by a container devdb did not create, or by an instance with another configuration. */
    public static final int NAME_CONFLICT = 7;
    /** The server refused its configuration or died while starting. */
    public static final int SERVER_FAILED = 8;
    /** The server did not become ready within the timeout. */
    public static final int TIMEOUT = 9;
    /** No instance with that name (or several, where one was expected). */
    public static final int NO_INSTANCE = 10;
    /** A seed script failed. */
    public static final int SEED_FAILED = 11;
    /** A snapshot is missing, or does not fit the instance (another image or version). */
    public static final int SNAPSHOT = 12;
    /** {@code devdb doctor} found a problem (other than an unreachable engine, which is 4). */
    public static final int CHECK_FAILED = 13;
    /** The image lacks what devdb needs of one (bash, the server and client programs, the mysql user, ...). */
    public static final int IMAGE_UNFIT = 14;
    /** {@code devdb try} found a statement that behaves differently on the servers it compared. */
    public static final int TRY_DIFFERENT = 15;
    /** Interrupted (Ctrl-C). */
    public static final int INTERRUPTED = 130;
    /** Standard output was closed before devdb finished writing to it (as by {@code | head}); as SIGPIPE. */
    public static final int OUTPUT_CLOSED = 141;
}
