package dev.devdb.engine;

/** The engine contract, of the fake command tests run on. */
class FakeEngineContractTest extends EngineContract {

    @Override
    protected Engine newEngine() {
        return new FakeEngine().withImage(image());
    }

    @Override
    protected String image() {
        return "devdb-test/mariadb:10.11";
    }

    @Override
    protected void print(String containerId, String line) {
        ((FakeEngine) engine).output(containerId, line);
    }
}
