package io.prodigy.storage.cli;

import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.error.InvalidInputException;
import picocli.CommandLine;

/** The tool's exit codes, the same for every command. */
public final class ExitCodes {

    /** The command did what was asked (and the storage is healthy, for {@code health}). */
    public static final int OK = 0;
    /** The operation failed, or {@code health} found the storage degraded or down. */
    public static final int FAILED = 1;
    /** The command line (or the configuration it points to) is wrong: nothing was attempted. */
    public static final int USAGE = 2;

    private ExitCodes() {}

    /**
     * Bad configuration and invalid input (an id that breaks the naming rules, a missing {@code --config} file, YAML
     * that does not parse) count as usage errors: the invocation must change; nothing was touched.
     */
    static int forException(Throwable t) {
        if (t instanceof CommandLine.ParameterException || t instanceof UsageException
                || t instanceof StorageConfigException || t instanceof InvalidInputException) {
            return USAGE;
        }
        return FAILED;
    }
}
