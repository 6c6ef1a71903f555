package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The engines beyond the first (a second Docker engine, Podman, an sshd in front of the first engine) are
 * started by the scripts in .ci/engines, which need root and install packages, so a test never starts them.
 * Where {@code DEVDB_IT_EXTRA_ENGINES=required} (.ci/run sets it after starting them), one that does not
 * answer fails its tests; elsewhere (a developer's {@code mvn verify}) they are skipped, naming the script.
 */
final class ExtraEngines {
    private ExtraEngines() {}

    static boolean required() {
        return "required".equals(System.getenv("DEVDB_IT_EXTRA_ENGINES"));
    }

    /** Goes on when {@code answers}; otherwise fails where the engines are required, else skips. */
    static void expect(boolean answers, String missing) {
        if (answers) {
            return;
        }
        if (required()) {
            fail(missing + " (DEVDB_IT_EXTRA_ENGINES=required)");
        }
        assumeTrue(false, missing);
    }
}
