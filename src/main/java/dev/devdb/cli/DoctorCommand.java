package dev.devdb.cli;

import dev.devdb.error.ControlCharacters;
import dev.devdb.core.Doctor;
import dev.devdb.error.ExitCodes;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "doctor", description = {"Check that devdb can work here, and say what to fix.",
        "Checks the Docker engine (which one, reachable, versions), its free disk space, that a port",
        "published on 127.0.0.1 reaches a container, and leftover instances. Never pulls an image.",
        "With --quiet, only the checks that warn or fail are listed.",
        "Exits 0 when nothing failed (warnings allowed), 4 when no engine answers, 13 when another check failed."})
final class DoctorCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Json json;

    @Mixin
    SharedOptions.Quiet quiet;

    DoctorCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = context.out();
        Doctor doctor = new Doctor(context.engine(), context.catalog(), context.env(), context.clock(), context.scope());
        List<Doctor.Check> checks = doctor.run(c -> {
            if (!json.on() && !(quiet.on() && (c.status() == Doctor.Status.OK || c.status() == Doctor.Status.SKIP))) {
                out.printf("%-5s %-10s %s%n", c.status().id(), c.name(), ControlCharacters.escape(c.detail()));
                if (c.fix() != null && c.status() != Doctor.Status.OK) {
                    out.printf("%-5s %-10s fix: %s%n", "", "", ControlCharacters.escape(c.fix()));
                }
                out.flush();
            }
        });
        if (json.on()) {
            Json.print(out, checks.stream().map(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("check", c.name());
                m.put("status", c.status().id());
                m.put("detail", c.detail());
                m.put("fix", c.fix());
                return m;
            }).toList());
        }
        long failed = checks.stream().filter(c -> c.status() == Doctor.Status.FAIL).count();
        long warned = checks.stream().filter(c -> c.status() == Doctor.Status.WARN).count();
        if (failed > 0 || !quiet.on()) {
            context.err().println("devdb: " + (failed > 0 ? failed + " check" + (failed == 1 ? "" : "s") + " failed"
                    : warned > 0 ? "no check failed, " + warned + " warned" : "all checks passed"));
            context.err().flush();
        }
        if (checks.stream().anyMatch(c -> c.name().equals("engine") && c.status() == Doctor.Status.FAIL)) {
            return ExitCodes.ENGINE_UNREACHABLE;
        }
        return failed > 0 ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
    }
}
