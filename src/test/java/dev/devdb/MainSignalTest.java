package dev.devdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.ExitCodes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How the devdb process ends on a signal, in a JVM of its own. */
@Timeout(60)
class MainSignalTest {
    @TempDir
    Path dir;

    @Test
    void sigterm_ends_devdb_with_the_exit_code_of_an_interrupt() throws Exception {
        // an engine that accepts the connection and never answers: devdb waits for it until stopped
        try (ServerSocket engine = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "ps"));
            pb.environment().put("DOCKER_HOST", "tcp://127.0.0.1:" + engine.getLocalPort());
            pb.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
            pb.environment().remove("DEVDB_SCOPE");
            pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
            pb.directory(dir.toFile());
            Process devdb = pb.start();
            try (Socket connection = engine.accept()) {
                devdb.destroy(); // SIGTERM
                assertTrue(devdb.waitFor(30, TimeUnit.SECONDS), "devdb did not end");
            } finally {
                devdb.destroyForcibly();
            }
            String err = Files.readString(dir.resolve("err"));
            assertEquals(ExitCodes.INTERRUPTED, devdb.exitValue(), () -> "stderr: " + err);
            assertTrue(!err.contains("\tat ") && !err.contains("Exception"), () -> "stderr: " + err);
        }
    }

}
