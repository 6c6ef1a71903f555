package dev.devdb.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

/**
 * A docker-java client of the tests' own, for what they do to the engine behind devdb's back
 * (containers devdb did not create, restarts, volumes, pushes); devdb's own engine keeps its
 * client to itself. Talks to the engine DOCKER_HOST names, or the default socket, as devdb does.
 */
final class Docker {
    private static DockerClient client;

    private Docker() {}

    static synchronized DockerClient client() {
        if (client == null) {
            String host = System.getenv("DOCKER_HOST");
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host.trim())
                    .build();
            client = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .build());
        }
        return client;
    }
}
