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
        try (CliContext ctx = CliContext.of(spec)) {
            return execute(ctx);
        }
    }

    /** Runs the command; returns an exit code from {@link ExitCodes}. */
    protected abstract int execute(CliContext ctx) throws Exception;
}
