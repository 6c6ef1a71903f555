package dev.devdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing the engine as the docker command does, from files in a temporary DOCKER_CONFIG. */
class EndpointsTest {
    @TempDir
    Path dir;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.resolve("home").toString());
        env.put("DOCKER_CONFIG", dir.resolve("docker").toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private Path context(String name, String metaJson) throws IOException {
        Path meta = dir.resolve("docker/contexts/meta").resolve(Endpoints.sha256(name));
        Files.createDirectories(meta);
        Files.writeString(meta.resolve("meta.json"), metaJson);
        return meta;
    }

    private static String meta(String name, String host) {
        return "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"" + host
                + "\",\"SkipTLSVerify\":false}}}";
    }

    private void currentContext(String name) throws IOException {
        Files.createDirectories(dir.resolve("docker"));
        Files.writeString(dir.resolve("docker/config.json"), "{\"auths\":{},\"currentContext\":\"" + name + "\"}");
    }

    private DevDbException fails(Map<String, String> env) {
        DevDbException e = assertThrows(DevDbException.class, () -> Endpoints.resolve(env));
        assertEquals(ExitCodes.USAGE, e.exitCode(), e::getMessage);
        return e;
    }

    @Test
    void nothing_set_is_the_default_socket() {
        Endpoint e = Endpoints.resolve(env());
        assertEquals("unix:///var/run/docker.sock", e.uri());
        assertEquals(Endpoint.Origin.DEFAULT, e.origin());
        assertEquals("unix:///var/run/docker.sock (the default socket)", e.toString());
        assertTrue(e.onThisMachine());
    }

    @Test
    void a_context_lives_in_the_directory_named_by_the_sha256_of_its_name() {
        // as `docker context create remote` names it: printf remote | sha256sum
        assertEquals("b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a", Endpoints.sha256("remote"));
    }

    @Test
    void docker_host_comes_first() throws IOException {
        context("remote", meta("remote", "tcp://10.0.0.5:2376"));
        currentContext("remote");
        Endpoint e = Endpoints.resolve(env("DOCKER_HOST", "tcp://127.0.0.1:2375", "DOCKER_CONTEXT", "remote"));
        assertEquals("tcp://127.0.0.1:2375", e.uri());
        assertEquals(Endpoint.Origin.DOCKER_HOST, e.origin());
        assertNull(e.tls());
        assertTrue(e.onThisMachine());
    }

    @Test
    void docker_context_comes_before_the_current_context() throws IOException {
        context("a", meta("a", "tcp://10.0.0.5:2375"));
        context("b", meta("b", "unix:///run/b.sock"));
        currentContext("b");
        Endpoint e = Endpoints.resolve(env("DOCKER_CONTEXT", "a"));
        assertEquals("tcp://10.0.0.5:2375", e.uri());
        assertEquals(Endpoint.Origin.DOCKER_CONTEXT, e.origin());
        assertEquals("a", e.context());
        assertEquals("tcp://10.0.0.5:2375 (DOCKER_CONTEXT=a)", e.toString());
        assertFalse(e.onThisMachine());
        assertEquals("10.0.0.5", e.host());
    }

    @Test
    void the_current_context_of_config_json_is_used_when_no_variable_names_one() throws IOException {
        context("b", meta("b", "unix:///run/b.sock"));
        currentContext("b");
        Endpoint e = Endpoints.resolve(env());
        assertEquals("unix:///run/b.sock", e.uri());
        assertEquals(Endpoint.Origin.CURRENT_CONTEXT, e.origin());
        assertEquals("unix:///run/b.sock (context b)", e.toString());
    }

    @Test
    void config_json_is_found_in_home_when_docker_config_is_unset() throws IOException {
        Map<String, String> env = env();
        env.remove("DOCKER_CONFIG");
        Path docker = dir.resolve("home/.docker");
        Path meta = docker.resolve("contexts/meta").resolve(Endpoints.sha256("h"));
        Files.createDirectories(meta);
        Files.writeString(meta.resolve("meta.json"), meta("h", "tcp://build.example.com"));
        Files.writeString(docker.resolve("config.json"), "{\"currentContext\":\"h\"}");
        Endpoint e = Endpoints.resolve(env);
        assertEquals("tcp://build.example.com:2375", e.uri(), "no TLS files: the plain port");
        assertEquals("build.example.com", e.host());
    }

    @Test
    void the_context_named_default_is_the_default_socket() throws IOException {
        currentContext("default");
        assertEquals(Endpoint.Origin.DEFAULT, Endpoints.resolve(env()).origin());
        assertEquals(Endpoint.Origin.DEFAULT, Endpoints.resolve(env("DOCKER_CONTEXT", "default")).origin());
    }

    @Test
    void a_context_with_tls_files_speaks_tls_on_2376_when_no_port_is_given() throws IOException {
        context("t", "{\"Endpoints\":{\"docker\":{\"Host\":\"tcp://10.1.2.3\",\"SkipTLSVerify\":true}}}");
        Path tls = dir.resolve("docker/contexts/tls").resolve(Endpoints.sha256("t")).resolve("docker");
        Files.createDirectories(tls);
        Files.writeString(tls.resolve("ca.pem"), "x");
        Endpoint e = Endpoints.resolve(env("DOCKER_CONTEXT", "t"));
        assertEquals("tcp://10.1.2.3:2376", e.uri());
        assertEquals(tls.resolve("ca.pem"), e.tls().ca());
        assertNull(e.tls().cert(), "missing files are left out, as the docker command does");
        assertFalse(e.tls().verify(), "SkipTLSVerify");
    }

    @Test
    void docker_tls_verify_takes_the_files_of_docker_cert_path() throws IOException {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        for (String f : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
            Files.writeString(certs.resolve(f), "x");
        }
        Endpoint e = Endpoints.resolve(env("DOCKER_HOST", "tcp://10.0.0.5", "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", certs.toString()));
        assertEquals("tcp://10.0.0.5:2376", e.uri());
        assertEquals(certs.resolve("key.pem"), e.tls().key());
        assertTrue(e.tls().verify());
        assertNull(Endpoints.resolve(env("DOCKER_HOST", "tcp://10.0.0.5:2375", "DOCKER_TLS_VERIFY", "0")).tls());
    }

    @Test
    void a_missing_context_exits_2_naming_it_and_how_to_list_them() {
        DevDbException e = fails(env("DOCKER_CONTEXT", "nowhere"));
        assertTrue(e.getMessage().startsWith("the Docker context nowhere (DOCKER_CONTEXT) does not exist (no "
                + dir.resolve("docker/contexts/meta").resolve(Endpoints.sha256("nowhere")).resolve("meta.json")),
                e.getMessage());
        assertTrue(e.getMessage().contains("`docker context ls`"), e.getMessage());
    }

    @Test
    void a_bad_meta_json_exits_2_naming_the_file() throws IOException {
        Path meta = context("bad", "{\"Endpoints\": {");
        DevDbException e = fails(env("DOCKER_CONTEXT", "bad"));
        assertTrue(e.getMessage().startsWith(meta.resolve("meta.json") + " of the Docker context bad (DOCKER_CONTEXT)"
                + " is not valid JSON ("), e.getMessage());
    }

    @Test
    void a_meta_json_without_a_docker_endpoint_exits_2() throws IOException {
        context("empty", "{\"Name\":\"empty\",\"Endpoints\":{}}");
        DevDbException e = fails(env("DOCKER_CONTEXT", "empty"));
        assertTrue(e.getMessage().contains("names no engine (no Endpoints.docker.Host"), e.getMessage());
    }

    @Test
    void a_context_whose_endpoint_is_malformed_exits_2_naming_the_context() throws IOException {
        context("odd", meta("odd", "fd://3"));
        DevDbException e = fails(env("DOCKER_CONTEXT", "odd"));
        assertTrue(e.getMessage().startsWith("the endpoint of the Docker context odd (DOCKER_CONTEXT) 'fd://3' uses"
                + " fd://"), e.getMessage());
    }

    @Test
    void a_bad_config_json_exits_2_naming_it() throws IOException {
        Files.createDirectories(dir.resolve("docker"));
        Files.writeString(dir.resolve("docker/config.json"), "{currentContext");
        DevDbException e = fails(env());
        assertTrue(e.getMessage().startsWith(dir.resolve("docker/config.json") + " is not valid JSON"), e.getMessage());
    }

    @Test
    void a_current_context_that_is_gone_exits_2_naming_config_json() throws IOException {
        currentContext("gone");
        DevDbException e = fails(env());
        assertTrue(e.getMessage().startsWith("the Docker context gone (current in " + dir.resolve("docker/config.json")
                + ") does not exist"), e.getMessage());
    }

    @Test
    void loopback_endpoints_are_on_this_machine() {
        assertTrue(new Endpoint("tcp://localhost:2376", Endpoint.Origin.DOCKER_HOST, null, null).onThisMachine());
        assertTrue(new Endpoint("tcp://[::1]:2376", Endpoint.Origin.DOCKER_HOST, null, null).onThisMachine());
        assertTrue(new Endpoint("tcp://127.0.0.2:2376", Endpoint.Origin.DOCKER_HOST, null, null).onThisMachine());
        assertFalse(new Endpoint("tcp://[fd00::5]:2376", Endpoint.Origin.DOCKER_HOST, null, null).onThisMachine());
        assertEquals("fd00::5", new Endpoint("tcp://[fd00::5]:2376", Endpoint.Origin.DOCKER_HOST, null, null).host());
    }
}
