package dev.devdb.core;

import dev.devdb.engine.PullProgress;
import java.util.List;

/** What {@code up} reports while it works; the command line renders it. */
public interface UpListener {
    /** A step begins: "pulling mysql:8.4", "starting devdb-mysql8", ... */
    void step(String message);

    /** Progress of an image pull. */
    void pull(PullProgress progress);

    /** The server's own error lines, when it refused to start. */
    void serverErrors(List<String> lines);

    /** Something worth knowing that does not stop the start (an option the server ignores or deprecates). */
    default void warning(String message) {}

    UpListener SILENT = new UpListener() {
        @Override
        public void step(String message) {}

        @Override
        public void pull(PullProgress progress) {}

        @Override
        public void serverErrors(List<String> lines) {}
    };
}
