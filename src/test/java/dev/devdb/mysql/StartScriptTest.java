package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start script's check of the image, run by bash here on a PATH that lacks the server. */
class StartScriptTest {

    @Test
    void what_the_image_lacks_is_read_from_the_scripts_line_only_with_its_exit_code() {
        List<String> logs = List.of("2026-12-01 10:00:00+00:00 [ERROR] [devdb]: unfit image: the image has no "
                + "mariadbd on PATH, no mysql user");
        assertEquals(Optional.of("the image has no mariadbd on PATH, no mysql user"),
                StartScript.unfitImage(StartScript.UNFIT_EXIT, logs));
        assertEquals(Optional.empty(), StartScript.unfitImage(1, logs));
        assertEquals(Optional.empty(), StartScript.unfitImage(null, logs));
        assertEquals(Optional.empty(), StartScript.unfitImage(StartScript.UNFIT_EXIT, List.of("Killed")));
    }

    @Test
    void on_an_image_without_the_server_and_client_the_script_stops_first_naming_them(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path script = Files.write(dir.resolve("devdb-start.sh"), StartScript.text());
        Path bin = Files.createDirectory(dir.resolve("bin"));
        // the programs any image has, and none of the server's
        for (String tool : List.of("date", "sed", "id", "dirname", "mkdir", "find", "rm")) {
            for (String d : List.of("/usr/bin", "/bin")) {
                if (Files.isExecutable(Path.of(d, tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), Path.of(d, tool));
                    break;
                }
            }
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString(), "mariadbd",
                "--datadir=" + dir.resolve("data")).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(StartScript.UNFIT_EXIT, p.exitValue(), out);
        assertTrue(out.contains("[ERROR] [devdb]: unfit image: the image has no mariadbd on PATH, no mariadb client on "
                + "PATH, no mariadb-install-db on PATH"), out);
        assertEquals(false, Files.exists(dir.resolve("data")), "nothing made before the check");
    }
}
