package dev.clickstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel counts for a running process, read from /proc. Read it before the process exits: once Java
 * reaps it, its /proc entry is gone (the readers then return -1).
 */
final class ProcessStats {
    /** /proc/PID/stat counts CPU time in USER_HZ ticks, which Linux fixes at 100 for user space. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessStats() {
    }

    /** VmHWM: the most memory the process has held. */
    static long peakRssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** User plus system CPU time of all its threads so far. */
    static double cpuSeconds(long pid) {
        try {
            return cpuOfStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a /proc/.../stat line, in seconds. */
    private static double cpuOfStat(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces; fields 14 and 15 (utime, stime)
        // are the 12th and 13th after it.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds of a process's threads, summed by thread name without its trailing number ("C2 CompilerThre",
     * "GC Thread#", "transfer-parser"), largest first: where the time went, JIT compilation included.
     */
    static String cpuByThread(long pid) {
        java.util.Map<String, Double> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip().replaceAll("[0-9]+$", "");
                    byName.merge(name, cpuOfStat(Files.readString(t.resolve("stat"))), Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return "-";
        }
        return byName.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
