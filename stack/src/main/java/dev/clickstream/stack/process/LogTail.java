package dev.clickstream.stack.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The last lines of a log file, read from the end so a large log costs nothing. */
public final class LogTail {
    private LogTail() {
    }

    public static List<String> lastLines(Path file, int count) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = Math.max(0, length - 64L * 1024);
            byte[] buf = new byte[(int) (length - start)];
            raf.seek(start);
            raf.readFully(buf);
            String[] lines = new String(buf, StandardCharsets.UTF_8).split("\r?\n");
            List<String> result = new ArrayList<>();
            for (int i = Math.max(start > 0 ? 1 : 0, lines.length - count); i < lines.length; i++) {
                result.add(lines[i]);
            }
            return result;
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    public static String format(Path file, int count) {
        List<String> lines = lastLines(file, count);
        if (lines.isEmpty()) {
            return "  (" + file + " is empty)";
        }
        StringBuilder sb = new StringBuilder("  last lines of ").append(file).append(':');
        for (String line : lines) {
            sb.append("\n  | ").append(line);
        }
        return sb.toString();
    }
}
