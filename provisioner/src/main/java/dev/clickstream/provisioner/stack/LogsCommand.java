package dev.clickstream.provisioner.stack;

import dev.clickstream.common.cli.StateDirOptions;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.process.LogTail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** The end of a service's log, or of both. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        header = "Print (or follow) the logs of the stack's services.",
        description = "Print the end of each service's log (Kafka, ClickHouse, and on a cluster ZooKeeper and every "
                + "server), or of the one named; -f follows them.")
public final class LogsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StateDirOptions state;

    @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "kafka, clickhouse, or on a cluster zookeeper "
            + "and clickhouse-s<SHARD>r<REPLICA> (default: all).")
    String service;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "40",
            description = "Lines to print from each log (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LocalStack stack = new LocalStack(state.stateDir());
        Map<String, Path> logs = new LinkedHashMap<>(stack.logFiles());
        if (service != null) {
            if (!logs.containsKey(service)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no service '" + service
                        + "' in this stack: " + String.join(", ", logs.keySet()));
            }
            logs.keySet().retainAll(java.util.Set.of(service));
        }
        if (logs.values().stream().noneMatch(Files::isRegularFile)) {
            spec.commandLine().getErr().println("error: no logs in " + stack.stateDir()
                    + ": the stack has not been started there (`./clickstream up`)");
            return 1;
        }
        Map<Path, Long> positions = new LinkedHashMap<>();
        for (var e : logs.entrySet()) {
            out.println("==> " + e.getKey() + ": " + e.getValue() + " <==");
            LogTail.lastLines(e.getValue(), lines).forEach(out::println);
            positions.put(e.getValue(), Files.isRegularFile(e.getValue()) ? Files.size(e.getValue()) : 0L);
        }
        out.flush();
        while (follow && !Thread.currentThread().isInterrupted()) {
            for (var e : positions.entrySet()) {
                e.setValue(printNew(e.getKey(), e.getValue(), out));
            }
            out.flush();
            Thread.sleep(500); // follow mode polls the files like tail -f; it is not synchronisation
        }
        return 0;
    }

    private static long printNew(Path file, long from, PrintWriter out) throws IOException {
        if (!Files.isRegularFile(file)) {
            return from;
        }
        long size = Files.size(file);
        long start = size < from ? 0 : from;
        if (size == start) {
            return size;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(start);
            byte[] buf = new byte[(int) Math.min(size - start, 1 << 20)];
            raf.readFully(buf);
            out.print(new String(buf, StandardCharsets.UTF_8));
            return start + buf.length;
        }
    }
}
