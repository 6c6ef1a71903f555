package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devdb.engine.DockerEngine;
import dev.devdb.engine.Engine;
import dev.devdb.engine.EngineContract;
import dev.devdb.engine.ExecResult;
import java.util.List;
import java.util.Map;

/**
 * The engine contract, of devdb's engine on the real Docker engine, within the test run's scope
 * (so that {@code .ci/run} clears what a killed run left).
 */
class DockerEngineContractIT extends EngineContract {

    @Override
    protected String scopePrefix() {
        return TestScope.NAME;
    }

    @Override
    protected Engine newEngine() {
        return DockerEngine.connect(System.getenv());
    }

    @Override
    protected String image() {
        return "devdb-test/mariadb:10.11";
    }

    @Override
    protected void print(String containerId, String line) {
        // what a command writes to the main process's stdout is the container's output
        ExecResult r = engine.exec(containerId, List.of("sh", "-c", "printf '%s\\n' \"$1\" > /proc/1/fd/1", "sh", line),
                Map.of());
        assertEquals(0, r.exitCode(), r::toString);
    }
}
