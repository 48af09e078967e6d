package io.prodigy.storage.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A loader isolated from the machine: an injected environment, a temporary home and collected warnings. */
final class Loaders {

    final Path home;
    final List<String> warnings = new ArrayList<>();

    Loaders(Path home) {
        this.home = home;
    }

    ConfigLoader with(Map<String, String> env) {
        return ConfigLoader.system().withEnvironment(env).withUserHome(home).withWarnings(warnings::add);
    }

    ConfigLoader plain() {
        return with(Map.of());
    }

    static Path write(Path file, String yaml) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
