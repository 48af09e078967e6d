package io.prodigy.storage.cli;

import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.error.StorageException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns a failed command into one or two lines on stderr and an exit code. The storage layer's messages already say
 * what failed, where, and what to do, so they are printed as they are; a stack trace only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    private final ProdigyStorageCli root;

    ErrorHandler(ProdigyStorageCli root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        int exitCode = ExitCodes.forException(ex);
        // Messages name paths and settings; a URL-shaped one may carry credentials.
        err.println("error: " + Formats.printable(Redaction.redactUrl(describe(ex)), true));
        if (root.verbose) {
            ex.printStackTrace(err);
        } else if (!isExpected(ex)) {
            err.println("(run again with --verbose for the stack trace)");
        }
        err.flush();
        if (root.json) {
            JsonError.print(cmd.getOut(), ex, describe(ex), exitCode);
        }
        return exitCode;
    }

    static String describe(Throwable ex) {
        if (isExpected(ex)) {
            return ex.getMessage();
        }
        if (ex instanceof UncheckedIOException io && io.getCause() != null) {
            return "I/O failed: " + io.getCause().getMessage();
        }
        return "unexpected " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
    }

    /** Errors whose message is written for users; anything else is a bug or an environment problem. */
    private static boolean isExpected(Throwable ex) {
        return ex instanceof StorageException || ex instanceof StorageConfigException
                || ex instanceof CommandFailedException || ex instanceof UsageException;
    }
}
