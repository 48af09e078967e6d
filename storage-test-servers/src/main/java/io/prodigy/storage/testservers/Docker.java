package io.prodigy.storage.testservers;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/** Testcontainers, used only when a Docker engine answers. */
final class Docker {

    private Docker() {}

    /** Whether a Docker engine answers. */
    static boolean available() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false; // asking Testcontainers would only log a page of errors
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Starts {@code container}, to be stopped when the JVM exits. */
    static void start(GenericContainer<?> container, String name) {
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-" + name + "-container"));
    }
}
