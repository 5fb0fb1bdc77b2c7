package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.profile.ProfileStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code clickstream down --cloud}: {@code terraform destroy} with the variables of the last apply, after
 * the user confirms (or {@code --yes}); then the profile that pointed at the destroyed services goes.
 */
public final class CloudDown {
    private final Path stateDir;
    private final CloudDownOptions options;
    private final BufferedReader in;
    private final PrintWriter out;

    public CloudDown(Path stateDir, CloudDownOptions options, BufferedReader in, PrintWriter out) {
        this.stateDir = stateDir;
        this.options = options;
        this.in = in;
        this.out = out;
    }

    public void down() {
        Cloud cloud = chooseCloud();
        if (cloud == null) {
            out.println("No cloud stack was created from " + stateDir + ": nothing to destroy.");
            out.flush();
            return;
        }
        CloudWorkspace workspace = new CloudWorkspace(stateDir, cloud);
        Map<String, String> variables = workspace.readVariables();
        Path binary = options.terraform.binary();
        Path module = options.terraform.moduleDir(cloud);
        out.println("This destroys the " + cloud + " Kafka and ClickHouse services of project '"
                + cloud.projectOf(variables) + "' and all their data (module " + module + ").");
        if (!options.yes && !confirmed()) {
            throw new UserFacingException("not confirmed: nothing destroyed (--yes skips the question)");
        }
        Terraform terraform = new Terraform(binary, module, workspace, out, List.of());
        terraform.init();
        terraform.destroy(variables);
        forgetProfile(workspace);
        out.println();
        out.println("Destroyed. `./clickstream up --cloud " + cloud + "` creates a new stack.");
        out.flush();
    }

    private Cloud chooseCloud() {
        if (options.cloud != null && !options.cloud.isEmpty()) {
            Cloud named = Arrays.stream(Cloud.values()).filter(c -> c.name().equals(options.cloud.toLowerCase(Locale.ROOT)))
                    .findFirst().orElseThrow(() -> new UserFacingException("--cloud: '" + options.cloud
                            + "' is not one of " + Arrays.toString(Cloud.values()), ExitCodes.USAGE, null));
            return new CloudWorkspace(stateDir, named).applied() ? named : null;
        }
        List<Cloud> applied = Arrays.stream(Cloud.values()).filter(c -> new CloudWorkspace(stateDir, c).applied()).toList();
        if (applied.size() > 1) {
            throw new UserFacingException(stateDir + " holds stacks on " + applied + ": name one with --cloud",
                    ExitCodes.USAGE, null);
        }
        return applied.isEmpty() ? null : applied.get(0);
    }

    private boolean confirmed() {
        out.print("Destroy them? [y/N] ");
        out.flush();
        try {
            String answer = in.readLine();
            return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            return false;
        }
    }

    private void forgetProfile(CloudWorkspace workspace) {
        Path file = workspace.profileFile();
        try {
            if (Files.isRegularFile(file) && workspace.cloud().target().equals(ProfileStore.load(file).target())) {
                Files.delete(file);
                out.println("Removed the connection profile " + file + ".");
            }
            workspace.forgetProfileFiles();
            workspace.forgetVariables();
        } catch (IOException | UserFacingException e) {
            out.println("The services are gone, but " + file + " could not be removed: " + e.getMessage());
        }
    }
}
