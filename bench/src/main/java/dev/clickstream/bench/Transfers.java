package dev.clickstream.bench;

import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.transfer.TransferCommand;
import dev.clickstream.stack.cluster.ClusterShape;
import dev.clickstream.stack.process.Ports;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the transfer as its own process (java -jar transfer.jar), as users do, and reads its peak RSS and CPU time. */
final class Transfers {
    private final Path root;
    private final Path dir;
    private final Path profileFile;
    private final PrintWriter log;
    /** Null for one server. */
    private final ClusterShape cluster;

    Transfers(Path root, Path dir, ConnectionProfile profile, PrintWriter log, ClusterShape cluster) {
        this.root = root;
        this.dir = dir;
        this.profileFile = dir.resolve("profile.json");
        this.log = log;
        this.cluster = cluster;
        if (!Files.isRegularFile(jar())) {
            throw new IllegalStateException(jar() + " is missing: build with `mvn -DskipTests package` (bench/delivery does)");
        }
    }

    /** True when the rows are spread over shards and counted through {@code <table>_all}. */
    boolean sharded() {
        return cluster != null && cluster.shards() > 1;
    }

    private Path jar() {
        return root.resolve("transfer").resolve("target").resolve("transfer.jar");
    }

    /** A running transfer; closing it sends SIGTERM and waits. */
    final class Running implements AutoCloseable {
        private final Process process;
        private final Path logFile;

        Running(Process process, Path logFile) {
            this.process = process;
            this.logFile = logFile;
        }

        /** VmHWM: the most memory the process has held, as the kernel counts it. */
        long peakRssBytes() {
            return ProcessStats.peakRssBytes(process.pid());
        }

        double cpuSeconds() {
            return ProcessStats.cpuSeconds(process.pid());
        }

        /** CPU seconds per kind of thread (C1/C2 compilers, GC, the loop, parsers, writers), as one line. */
        String cpuByThread() {
            return ProcessStats.cpuByThread(process.pid());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                log.println("the transfer did not stop within 60 s; see " + logFile);
            }
        }
    }

    /**
     * @param jvmOptions besides the transfer's own ({@link TransferCommand#jvmOptions}), after them; one of the form
     *                   {@code --jar=PATH} runs another build of the transfer (a copy of an earlier jar) instead,
     *                   and one of the form {@code --java=JAVA_HOME} another JVM, without the class-data archive
     *                   (an archive fits only the JVM build that wrote it; the variant's own options choose one)
     */
    Running start(String topic, String database, String format, String maxDelay, List<String> jvmOptions) {
        Path jar = jvmOptions.stream().filter(o -> o.startsWith("--jar=")).map(o -> Path.of(o.substring(6)))
                .findFirst().orElse(jar());
        Optional<Path> javaHome = jvmOptions.stream().filter(o -> o.startsWith("--java=")).map(o -> Path.of(o.substring(7)))
                .findFirst();
        List<String> options = jvmOptions.stream().filter(o -> !o.startsWith("--jar=") && !o.startsWith("--java="))
                .toList();
        try {
            String sample = Files.readString(root.resolve("transfer").resolve("transfer.yaml"));
            String schema = sample.substring(sample.indexOf("  parser:"), sample.indexOf("\ntarget:"));
            String yaml = "profile: " + profileFile + "\nsource:\n  topic_name: " + topic + "\n  group: " + database
                    + "\n" + schema + "\ntarget:\n  database: " + database
                    + (cluster == null ? "" : "\n  cluster: " + ClusterShape.NAME) + "\nbatch:\n  format: " + format
                    + "\n  max_delay: " + maxDelay + "\nhttp:\n  port: " + Ports.freePort() + "\n";
            Path config = dir.resolve(database + ".yaml");
            Files.writeString(config, yaml);
            Path logFile = dir.resolve(database + ".log");
            List<String> cmd = new java.util.ArrayList<>(List.of(javaHome.orElse(Path.of(System.getProperty("java.home")))
                    .resolve("bin").resolve("java").toString()));
            cmd.addAll(javaHome.isPresent() ? TransferCommand.JVM_OPTIONS : TransferCommand.jvmOptions(jar));
            cmd.addAll(options);
            cmd.addAll(List.of("-jar", jar.toString(), "--config", config.toString(), "--instance", database));
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            return new Running(p, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
