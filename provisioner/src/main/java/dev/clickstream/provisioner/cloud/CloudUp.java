package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import dev.clickstream.stack.LocalStack;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code clickstream up --cloud}: Terraform creates Kafka and ClickHouse, its outputs become the connection
 * profile, then the topic is created through the Kafka endpoint and the after-provision step (the SQL
 * apply) runs against the new ClickHouse, exactly as the tools will reach them.
 */
public final class CloudUp {
    /** The non-profile output naming the queue table of a managed Kafka-engine integration (Aiven). */
    static final String KAFKA_ENGINE_TABLE = "kafka_engine_table";
    private final Path stateDir;
    private final CloudUpOptions options;
    private final PrintWriter out;
    private final AfterProvision afterProvision;

    public CloudUp(Path stateDir, CloudUpOptions options, PrintWriter out, AfterProvision afterProvision) {
        this.stateDir = stateDir;
        this.options = options;
        this.out = out;
        this.afterProvision = afterProvision;
    }

    /**
     * @param topic      the events topic
     * @param partitions its partitions, when this call creates it
     * @param wait       how long the fresh services may take to answer
     */
    public ConnectionProfile up(String topic, int partitions, Duration wait) {
        Cloud cloud = options.cloud;
        CloudWorkspace workspace = new CloudWorkspace(stateDir, cloud);
        requireFreeStateDir(workspace);
        Path binary = options.terraform.binary();
        Path module = options.terraform.moduleDir(cloud);
        Map<String, String> previous = workspace.readVariables();
        String project = options.project != null ? options.project : cloud.projectOf(previous);
        if (project == null || project.isBlank()) {
            throw new UserFacingException("--cloud " + cloud + " needs --project: " + cloud.projectHint(),
                    ExitCodes.USAGE, null);
        }

        out.println("Creating Kafka and ClickHouse on " + cloud + " with " + binary);
        out.println("  module " + module + ", Terraform state in " + workspace.dir());
        PublicAddresses.Found addresses = PublicAddresses.resolve(options.myIp, options.myIpv6,
                options.ipv4LookupUrl, options.ipv6LookupUrl, out);
        Map<String, String> variables = cloud.variables(project, addresses, topic, partitions);
        workspace.writeVariables(variables);

        Terraform terraform = new Terraform(binary, module, workspace, out, knownSecrets(workspace));
        terraform.init();
        terraform.apply(variables);
        TerraformOutputs outputs = terraform.outputs();
        ConnectionProfile profile = CloudProfiles.fromOutputs(outputs, workspace);
        ProfileStore.save(profile, workspace.profileFile());
        out.println();
        out.println("Connection profile: " + workspace.profileFile() + " (mode 0600, holds the passwords)");
        out.flush();

        KafkaEndpoint kafka = KafkaEndpoint.of(profile.kafkaConnection());
        String clusterId = CloudEndpoints.awaitKafka(kafka, wait);
        out.println("  kafka       ready: " + kafka.describe() + ", cluster id " + clusterId);
        CloudEndpoints.Topic created = CloudEndpoints.ensureTopic(kafka, profile.topicOrDefault(), partitions);
        out.println("  topic       " + created.name() + (created.created() ? " created" : " exists") + " ("
                + created.partitions() + " partitions)");
        ClickHouseEndpoint clickhouse = ClickHouseEndpoint.of(profile.clickhouseConnection());
        String version = CloudEndpoints.awaitClickHouse(clickhouse, wait);
        out.println("  clickhouse  ready: " + clickhouse.describe() + ", ClickHouse " + version);
        out.flush();

        afterProvision.apply(profile, outputs.has(KAFKA_ENGINE_TABLE)
                ? Optional.of(outputs.value(KAFKA_ENGINE_TABLE).asText()) : Optional.empty(), out);

        out.println();
        out.println("Next:");
        out.println("  ./clickstream status");
        out.println("  ./clickstream down --cloud    # destroys both services: they are billed by the hour until then");
        out.flush();
        return profile;
    }

    /** One state folder, one stack: a running local stack or another cloud's profile stays untouched. */
    private void requireFreeStateDir(CloudWorkspace workspace) {
        if (new LocalStack(stateDir).isRunning()) {
            throw new UserFacingException("a local stack is running in " + stateDir + ": stop it with"
                    + " `./clickstream down`, or give the cloud stack its own --state-dir");
        }
        Path file = workspace.profileFile();
        if (Files.isRegularFile(file)) {
            String target = existingTarget(file);
            Cloud other = Cloud.ofTarget(target);
            if (other != null && other != workspace.cloud()) {
                throw new UserFacingException(stateDir + " holds the profile of the stack on " + other + ": remove it with"
                        + " `./clickstream down --cloud " + other + "`, or use another --state-dir");
            }
        }
    }

    private static String existingTarget(Path file) {
        try {
            return ProfileStore.load(file).target();
        } catch (UserFacingException e) {
            return null; // a broken profile is replaced by the new one
        }
    }

    /** Passwords of an earlier apply of this cloud, masked should Terraform print them. */
    private static List<String> knownSecrets(CloudWorkspace workspace) {
        List<String> secrets = new ArrayList<>();
        Path file = workspace.profileFile();
        if (Files.isRegularFile(file)) {
            try {
                ConnectionProfile p = ProfileStore.load(file);
                if (workspace.cloud().target().equals(p.target())) {
                    secrets.add(p.kafkaConnection().password());
                    secrets.add(p.clickhouseConnection().password());
                }
            } catch (UserFacingException e) {
                // nothing known to mask
            }
        }
        return secrets;
    }
}
