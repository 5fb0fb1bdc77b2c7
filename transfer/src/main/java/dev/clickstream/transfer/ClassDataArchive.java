package dev.clickstream.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A class-data archive of the transfer's jar (Java's AppCDS): the first start writes the classes it loaded to
 * {@code transfer.jar.<path hash>.<pid>-<n>.jsa} when it exits, and later starts map the newest complete one instead of loading
 * and verifying Kafka's, the HTTP client's and Jackson's classes again, which measured a second off the time to
 * the first row on two cores. Each start writes a file of its own, so instances starting together never write the
 * same one; an archive older than the jar, or one whose writer still runs, is not used. The JVM takes an archive
 * only for the classpath exactly as it was written ({@code target/transfer.jar} is not
 * {@code /work/transfer/target/transfer.jar}), so the name carries a hash of the path as given.
 */
final class ClassDataArchive {
    private ClassDataArchive() {
    }

    /** The JVM options that use or write the archive of {@code jar}; none when its folder cannot be written. */
    static List<String> options(Path jar) {
        Path dir = jar.toAbsolutePath().getParent();
        if (dir == null || !Files.isWritable(dir)) {
            return List.of();
        }
        // The JVM says "unable to use shared archive" on stdout for an archive that does not fit; it then runs without.
        List<String> quiet = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        List<String> opts = new ArrayList<>(quiet);
        Optional<Path> usable = newestComplete(jar);
        if (usable.isPresent()) {
            opts.add("-XX:SharedArchiveFile=" + usable.get());
        } else {
            // The launching JVM's pid keeps names apart; the archive is written when the started JVM exits.
            opts.add("-XX:ArchiveClassesAtExit=" + dir.resolve(prefix(jar) + ProcessHandle.current().pid() + "-"
                    + System.nanoTime() + ".jsa"));
        }
        return opts;
    }

    private static Optional<Path> newestComplete(Path jar) {
        Path dir = jar.toAbsolutePath().getParent();
        String prefix = prefix(jar);
        try (Stream<Path> files = Files.list(dir)) {
            FileTime built = Files.getLastModifiedTime(jar);
            List<Path> archives = files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".jsa")).toList();
            return archives.stream()
                    .filter(p -> complete(p, built))
                    .max(Comparator.comparing(ClassDataArchive::modified));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code transfer.jar.<hash of the path as given>.}: archives of one way of naming the jar. */
    private static String prefix(Path jar) {
        return jar.getFileName() + "." + Integer.toHexString(jar.toString().hashCode()) + ".";
    }

    /** Written after the jar, and not growing: an archive is written in one go at its JVM's exit. */
    private static boolean complete(Path archive, FileTime jarBuilt) {
        try {
            long size = Files.size(archive);
            FileTime written = Files.getLastModifiedTime(archive);
            return size > 0 && written.compareTo(jarBuilt) > 0
                    && System.currentTimeMillis() - written.toMillis() > 2_000;
        } catch (IOException e) {
            return false;
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
