package io.prodigy.storage.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code completion bash|zsh}: prints the shell completion script picocli generates from the command model, so it
 * always matches the commands and options of this build. The script is written for bash; zsh runs it through
 * {@code bashcompinit}.
 */
@Command(name = "completion", description = "Print the shell completion script (bash; zsh through bashcompinit).",
        mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  source <(prodigy-storage completion bash)",
            "  prodigy-storage completion bash > /etc/bash_completion.d/prodigy-storage",
            "  autoload -U +X bashcompinit && bashcompinit && source <(prodigy-storage completion zsh)"})
final class CompletionCommand implements Callable<Integer> {

    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", defaultValue = "bash", description = "bash or zsh (default ${DEFAULT-VALUE}).")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
