package io.prodigy.storage.cli;

import java.nio.file.Path;

/**
 * The global options as given on the command line; {@code null} means not given.
 *
 * @param storageDir {@code --storage-dir}
 * @param configFile {@code --config}
 * @param backend    {@code --backend}
 * @param repository {@code --repo}
 * @param json       {@code --json}
 * @param verbose    {@code -v/--verbose}
 */
public record GlobalOptions(
        Path storageDir, Path configFile, String backend, String repository, boolean json, boolean verbose) {}
