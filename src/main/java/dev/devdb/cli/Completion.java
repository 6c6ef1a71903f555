package dev.devdb.cli;

import java.util.Iterator;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Shell completion: picocli's generated bash script (which zsh runs through bashcompinit), with
 * profile and instance names looked up when TAB is pressed. Parameters name {@link Profiles} or
 * {@link Instances} as their completion candidates; the generator writes each as a one-word
 * list holding a marker, and {@link #script} turns that list into a call of the hidden
 * {@code devdb __complete} command.
 */
final class Completion {
    static final String PROFILES_MARKER = "__devdb_complete_profiles__";
    static final String INSTANCES_MARKER = "__devdb_complete_instances__";

    private Completion() {}

    /** Candidates for a profile name. */
    static final class Profiles implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(PROFILES_MARKER).iterator();
        }
    }

    /** Candidates for an instance name. */
    static final class Instances implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(INSTANCES_MARKER).iterator();
        }
    }

    /** The completion script for the command line given (its root command). */
    static String script(CommandLine root) {
        String script = AutoComplete.bash(root.getCommandName(), root);
        return script
                .replace("(\"" + PROFILES_MARKER + "\")", "($(" + lookup("profiles") + "))")
                .replace("(\"" + INSTANCES_MARKER + "\")", "($(" + lookup("instances") + "))");
    }

    /** Runs the devdb being completed (as typed: devdb, ./devdb, ...) to list names; silent on failure. */
    private static String lookup(String what) {
        return "\"${COMP_WORDS[0]}\" __complete " + what + " 2>/dev/null";
    }
}
