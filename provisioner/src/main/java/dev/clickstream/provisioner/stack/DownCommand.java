package dev.clickstream.provisioner.stack;

import dev.clickstream.common.cli.StateDirOptions;
import dev.clickstream.provisioner.cloud.CloudDown;
import dev.clickstream.provisioner.cloud.CloudDownOptions;
import dev.clickstream.provisioner.cloud.CloudStatus;
import dev.clickstream.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** Stops the local stack by pid, keeping its data unless purged; or, with {@code --cloud}, destroys the cloud one. */
@Command(name = "down", mixinStandardHelpOptions = true,
        header = "Stop the local stack by pid (keep its data unless --purge), or destroy the cloud one (--cloud).",
        description = "Stop the local stack: SIGTERM to each service by pid, SIGKILL if it is still "
                + "running after a grace period. Data, logs and passwords stay unless --purge.%n%n"
                + "With --cloud: terraform destroy of what `up --cloud` created from this state folder, after a"
                + " question read from standard input (--yes skips it); the services and their data are gone.")
public final class DownCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StateDirOptions state;

    @Option(names = "--purge", description = "Also delete data, logs, certificates, passwords and the profile.")
    boolean purge;

    @Mixin
    CloudDownOptions cloud;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (cloud.requested()) {
            if (purge) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--purge applies to the local stack only, not with --cloud");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            new CloudDown(state.stateDir(), cloud, in, out).down();
            return 0;
        }
        cloud.strayOption().ifPresent(option -> {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + " needs --cloud");
        });
        LocalStack stack = new LocalStack(state.stateDir());
        stack.down(purge, out);
        CloudStatus.profileIn(stack.profileFile()).ifPresent(p ->
                out.println("The profile here points at the stack on " + p.target() + ", which keeps running:"
                        + " `./clickstream down --cloud` destroys it."));
        out.flush();
        return 0;
    }
}
