package dev.clickstream.provisioner;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** Prints picocli's completion script for bash and zsh, bound to both {@code clickstream} and {@code ./clickstream}. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        header = "Print the shell completion script for bash and zsh.",
        description = "Prints a script that completes commands, options and enum values when sourced: "
                + "bash directly; zsh after `autoload -U +X compinit && compinit && autoload -U +X bashcompinit "
                + "&& bashcompinit`.",
        footer = {"", "Examples:", "  source <(./clickstream completion)              # this shell",
                "  ./clickstream completion > ~/.local/share/bash-completion/completions/clickstream"})
public final class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(AutoComplete.bash("clickstream", spec.root().commandLine()));
        // Users run the launcher from the checkout as ./clickstream; bash matches the command word as typed.
        out.println("complete -F _complete_clickstream -o default ./clickstream");
        out.flush();
    }
}
