package io.prodigy.storage.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * A command line that does not parse: the message and where to find help, not the whole usage text (which would bury
 * the one line that matters). Exit code 2.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage and examples.");
        err.flush();
        if (java.util.Arrays.asList(args).contains("--json")) {
            JsonError.print(cmd.getOut(), ex, ex.getMessage(), ExitCodes.USAGE);
        }
        return ExitCodes.USAGE;
    }
}
