package dev.clickstream.provisioner.stack;

import dev.clickstream.common.cli.StateDirOptions;
import dev.clickstream.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Stops the local stack by pid; keeps its data unless purged. */
@Command(name = "down", mixinStandardHelpOptions = true,
        header = "Stop the local stack by pid; keep its data unless --purge.",
        description = "Stop the local stack: SIGTERM to each service by pid, SIGKILL if it is still "
                + "running after a grace period. Data, logs and passwords stay unless --purge.")
public final class DownCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StateDirOptions state;

    @Option(names = "--purge", description = "Also delete data, logs, certificates, passwords and the profile.")
    boolean purge;

    @Override
    public Integer call() {
        new LocalStack(state.stateDir()).down(purge, spec.commandLine().getOut());
        return 0;
    }
}
