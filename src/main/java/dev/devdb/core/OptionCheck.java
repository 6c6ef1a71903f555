package dev.devdb.core;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Binlog;
import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.RemovedOptions;
import dev.devdb.mysql.ServerVersion;
import dev.devdb.profile.Origin;
import dev.devdb.profile.Profile;
import dev.devdb.profile.ServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Server options checked against the version they go to, before any server starts: what that
 * version removed (or renamed) stops the start, with what replaced it; what it ignores or deprecates
 * is a warning. The knowledge is {@link RemovedOptions}' tables. A version the image tag does not
 * name ({@code latest}, a team's own tag) is not checked here; the server judges those.
 */
public final class OptionCheck {
    private OptionCheck() {}

    /** Where an option came from. */
    public enum Source {
        /** A profile's {@code mycnf}: exit 3. */
        PROFILE(ExitCodes.PROFILE),
        /** {@code --set} or {@code devdb set}: exit 2. */
        SET(ExitCodes.USAGE),
        /** What devdb adds itself (binary log settings for CDC and replicas): never a problem for the version. */
        DEVDB(ExitCodes.FAILURE);

        private final int exitCode;

        Source(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /**
     * One option the target version removed, ignores or deprecates.
     *
     * @param option the option as written
     * @param source where it came from
     * @param from where, for people: {@code profile shop (/work/app/profiles/shop.yaml)}, {@code --set}
     * @param error whether the server would refuse to start with it
     * @param message what the table says, without where it came from
     * @param reference the page documenting it
     */
    public record Problem(String option, Source source, String from, boolean error, String message, String reference) {
        /** The message and where the option came from, on one line. */
        public String line() {
            return message + "; from " + from;
        }
    }

    /**
     * Checks the options a profile and a request give a server of {@code target}'s flavour and version:
     * the profile's {@code mycnf}, then {@code set}, then the binary log settings devdb adds for CDC or
     * replicas (computed for the target's version).
     *
     * @param set options given on the command line, or an empty map
     */
    public static List<Problem> check(Profile profile, Map<String, String> set, boolean binlog, boolean cdc,
            Flavor flavor, String versionTag) {
        List<Problem> problems = new ArrayList<>();
        if (!ServerVersion.numbered(versionTag)) {
            return problems;
        }
        RemovedOptions table = RemovedOptions.of(flavor);
        ServerVersion version = ServerVersion.ofTag(versionTag);
        String place = "profile " + profile.name() + (profile.origin() == Origin.BUILT_IN ? "" : " ("
                + profile.location() + ")");
        for (String key : profile.mycnf().keySet()) {
            add(problems, table.check(key, version), Source.PROFILE, place);
        }
        for (String key : set.keySet()) {
            add(problems, table.check(key, version), Source.SET, "--set " + key);
        }
        if (binlog || cdc) {
            Map<String, String> own = cdc ? Binlog.cdcOptions(flavor, version) : Binlog.replicationOptions(flavor, version);
            for (String key : own.keySet()) {
                add(problems, table.check(key, version), Source.DEVDB, "devdb's own settings");
            }
        }
        return problems;
    }

    private static void add(List<Problem> problems, RemovedOptions.Finding f, Source source, String place) {
        if (f == null) {
            return;
        }
        String from = ServerOptions.normalizeKey(f.key()).equals(f.row().option()) || source == Source.SET ? place
                : f.key().trim() + " in " + place;
        problems.add(new Problem(f.key().trim(), source, from, f.severity() == RemovedOptions.Severity.ERROR,
                f.message(), f.row().source()));
    }

    /**
     * Fails on the first error, with the exit code of its source (3 for a profile, 2 for --set),
     * naming how many more there are; returns the warnings.
     *
     * @param profileArg how to name the profile to {@code devdb profiles check}
     */
    public static List<Problem> requireNoErrors(List<Problem> problems, String profileArg) {
        List<Problem> errors = problems.stream().filter(Problem::error).toList();
        if (!errors.isEmpty()) {
            Problem first = errors.get(0);
            String more = errors.size() == 1 ? "" : " (and " + (errors.size() - 1) + " more: `devdb profiles check "
                    + profileArg + "` lists them)";
            if (first.source() == Source.DEVDB) {
                throw new IllegalStateException("devdb's own setting " + first.option() + " is wrong for the version: "
                        + first.message());
            }
            throw new DevDbException(first.source().exitCode(), first.line() + more);
        }
        return problems;
    }
}
