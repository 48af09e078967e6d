package io.prodigy.storage.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every leaf command: opens a {@link CliContext} for the invocation, runs the command, closes the storage
 * (flushing it first) whatever happened, and returns the exit code.
 */
public abstract class StorageCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try (CliContext ctx = CliContext.of(spec, readsOnly())) {
            return execute(ctx);
        }
    }

    /**
     * Whether the command only reads. A read never creates anything: if the file store's directory does not exist,
     * the command fails saying so instead of creating an empty store there (a typo in {@code --storage-dir} must not
     * silently start a new store).
     */
    protected boolean readsOnly() {
        return false;
    }

    /** Runs the command; returns an exit code from {@link ExitCodes}. */
    protected abstract int execute(CliContext ctx) throws Exception;
}
