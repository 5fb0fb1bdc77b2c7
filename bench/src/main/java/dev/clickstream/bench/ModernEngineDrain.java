package dev.clickstream.bench;

import dev.clickstream.common.cli.Cli;
import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.provisioner.sql.KafkaEngineSql;
import dev.clickstream.provisioner.sql.SqlApplier;
import dev.clickstream.provisioner.sql.SqlApplyCommand;
import dev.clickstream.testsupport.chdb.ChdbSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The drain on the ClickHouse 26.x engine (chDB, in-process): {@link #main} runs in a JVM of its own, applies the
 * SQL that `sql apply` renders for the session's version, waits for every row and prints one result line;
 * {@link #run} starts that JVM and samples its memory and CPU time. A JVM of its own because chDB needs the JDK's
 * signal chaining preloaded, allows one session per process, holds about 1 GB and may crash.
 */
@Command(name = "ModernEngineDrain", description = "Drains a topic with the Kafka engine of ClickHouse 26.x (chDB) and "
        + "prints one line of timings; bench/delivery runs it in a JVM of its own.")
public final class ModernEngineDrain implements Callable<Integer> {
    /** The result line starts with this, then key=value pairs; chDB's own output may surround it. */
    private static final String RESULT = "modern-engine-drain";
    private static final String DATABASE = "drain_modern";

    @Option(names = "--bootstrap-server", required = true, description = "The broker's PLAINTEXT listener.")
    String brokers;

    @Option(names = "--topic", required = true)
    String topic;

    @Option(names = "--events", required = true, description = "Rows to wait for.")
    long events;

    @Option(names = "--timeout-seconds", defaultValue = "900")
    long timeoutSeconds;

    @Option(names = "--group", defaultValue = "drain-modern", description = "The engine's consumer group: a new one"
            + " per round, or a round starts where the last one committed.")
    String group;

    public static void main(String[] args) {
        System.exit(Cli.run(new ModernEngineDrain(), args));
    }

    @Override
    public Integer call() {
        ChdbSession session;
        try {
            session = ChdbSession.open();
        } catch (LinkageError e) {
            // An Error, which would end the JVM with a stack trace instead of the one line the parent shows.
            throw new UserFacingException("cannot load " + System.getProperty(ChdbSession.LIBRARY_PROPERTY) + ": "
                    + e.getMessage(), e);
        }
        try (ChdbSession chdb = session) {
            ServerVersion version = chdb.version();
            // One consumer: with kafka_num_consumers = 3 chDB died of SIGSEGV once.
            KafkaEngineSql sql = new KafkaEngineSql(DATABASE, "events", brokers, topic, group, 1, 65536,
                    null, null);
            List<String> statements = SqlApplier.plan("sql/" + KafkaEngineSql.TEMPLATE,
                    SqlApplyCommand.readTemplate(null), sql, version, false);
            PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream());
            long t0 = System.nanoTime();
            new SqlApplier(quiet, new PrintWriter(System.err, true)).send(chdb, statements);
            long first = DeliveryBench.awaitCount(chdb, DATABASE + ".events", events,
                    Duration.ofSeconds(timeoutSeconds));
            long end = System.nanoTime();
            // Locale.ROOT: the parent parses the numbers back.
            System.out.printf(Locale.ROOT, "%s version=%s seconds=%.6f steady_seconds=%.6f%n", RESULT, version.text(),
                    (end - t0) / 1e9, (end - first) / 1e9);
            System.out.flush();
        }
        return ExitCodes.OK;
    }

    // ------------------------------------------------------------------ the parent's side

    /** The child's timings, and its peak RSS and CPU time as /proc showed them when its result line appeared. */
    record Result(String version, double seconds, double steadySeconds, long peakRssBytes, double cpuSeconds) {
    }

    /**
     * Starts the drain in a JVM of its own (working directory and log in {@code dir}) and waits for it; a failure
     * prints the log's last lines to {@code log} (dir goes at the bench's end) and throws with the reason.
     */
    static Result run(Path library, Path dir, String brokers, String topic, long events, Duration timeout,
                      PrintWriter log) throws IOException, InterruptedException {
        Path logFile = dir.resolve("modern-engine-drain.log");
        String javaHome = System.getProperty("java.home");
        List<String> cmd = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString()));
        // The JVM only polls count(); chDB's memory is native, outside the heap. The session's data goes to a temp
        // folder: in dir, it goes with the bench's state even when the JVM crashes before closing the session.
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir,
                "-D" + ChdbSession.LIBRARY_PROPERTY + "=" + library,
                "-cp", absoluteClassPath(), ModernEngineDrain.class.getName(),
                "--bootstrap-server", brokers, "--topic", topic, "--events", Long.toString(events),
                "--timeout-seconds", Long.toString(timeout.toSeconds()), "--group", "drain-modern-" + System.nanoTime()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()) // a crash's hs_err file lands in dir
                .redirectErrorStream(true).redirectOutput(logFile.toFile());
        // chDB installs its own SIGSEGV handler; without signal chaining the JVM hangs or dies at its first NPE.
        pb.environment().put("LD_PRELOAD", Path.of(javaHome, "lib", "libjsig.so").toString());
        Process p = pb.start();

        // Sample until the result line appears, so the numbers cover the drain and not the session's close.
        // The process's /proc entry goes when it exits: keep the last reading.
        long deadline = System.nanoTime() + timeout.plusMinutes(2).toNanos();
        Map<String, String> result = null;
        long peak = -1;
        double cpu = -1;
        while (result == null && !p.waitFor(100, TimeUnit.MILLISECONDS)) {
            long rss = ProcessStats.peakRssBytes(p.pid());
            double seconds = ProcessStats.cpuSeconds(p.pid());
            peak = rss >= 0 ? rss : peak;
            cpu = seconds >= 0 ? seconds : cpu;
            result = resultLine(logFile);
            if (result == null && System.nanoTime() - deadline > 0) {
                p.destroyForcibly().waitFor();
                throw failure("the chDB JVM printed no result within " + timeout.plusMinutes(2).toMinutes() + " min",
                        logFile, log);
            }
        }
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
        }
        result = result != null ? result : resultLine(logFile);
        if (result == null) {
            throw failure("the chDB JVM ended with " + exit(p.exitValue()) + " before its result", logFile, log);
        }
        if (p.exitValue() != 0) {
            log.println("note: the chDB drain JVM ended with " + exit(p.exitValue()) + " after its drain (closing)");
        }
        return new Result(result.get("version"), Double.parseDouble(result.get("seconds")),
                Double.parseDouble(result.get("steady_seconds")), peak, cpu);
    }

    /** The child runs in another folder, and `java -jar bench/target/bench.jar` gives a relative class path. */
    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    // ISO-8859-1: the line is ASCII, and chDB's output around it need not be UTF-8.
    private static Map<String, String> resultLine(Path logFile) throws IOException {
        if (!Files.exists(logFile)) {
            return null;
        }
        for (String line : Files.readAllLines(logFile, StandardCharsets.ISO_8859_1)) {
            if (line.startsWith(RESULT + " ")) {
                Map<String, String> values = new HashMap<>();
                for (String pair : line.substring(RESULT.length() + 1).split(" ")) {
                    int eq = pair.indexOf('=');
                    values.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                return values;
            }
        }
        return null;
    }

    /** Java reports a process killed by signal N as exit code 128 + N (SIGSEGV: 139). */
    private static String exit(int code) {
        return code > 128 ? "signal " + (code - 128) + " (exit " + code + ")" : "exit " + code;
    }

    /**
     * Prints the log's last lines (its folder goes at the bench's end) and says why, with the child's own one-line
     * error when it printed one.
     */
    private static UserFacingException failure(String why, Path logFile, PrintWriter log) throws IOException {
        List<String> lines = Files.exists(logFile) ? Files.readAllLines(logFile, StandardCharsets.ISO_8859_1)
                : List.of();
        log.println("the chDB drain JVM's output ends with:");
        lines.subList(Math.max(0, lines.size() - 10), lines.size()).forEach(line -> log.println("  " + line));
        String error = lines.stream().filter(line -> line.startsWith("error: ")).reduce((a, b) -> b)
                .map(line -> " (" + line + ")").orElse("");
        return new UserFacingException(why + error);
    }
}
