package dev.clickstream.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassDataArchiveTest {
    @TempDir
    Path dir;

    @Test
    void a_first_start_writes_an_archive_of_its_own_and_later_starts_use_the_newest_complete_one() throws Exception {
        Path jar = Files.writeString(dir.resolve("transfer.jar"), "jar");
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(now - 60_000));
        String first = last(ClassDataArchive.options(jar));
        assertTrue(first.startsWith("-XX:ArchiveClassesAtExit=" + dir.resolve("transfer.jar.")), first);

        String prefix = "transfer.jar." + Integer.toHexString(jar.toString().hashCode()) + ".";
        Path stale = archive(prefix + "1-1.jsa", now - 120_000); // older than the jar: built before it
        Path good = archive(prefix + "2-2.jsa", now - 30_000);
        Path newer = archive(prefix + "3-3.jsa", now - 20_000);
        Path writing = archive(prefix + "4-4.jsa", now); // its JVM may still be writing it
        Path otherPath = archive("transfer.jar.0.9-9.jsa", now - 10_000); // written for the jar named another way
        assertEquals("-XX:SharedArchiveFile=" + newer, last(ClassDataArchive.options(jar)));
        assertTrue(Files.exists(stale) && Files.exists(good) && Files.exists(writing) && Files.exists(otherPath));
        assertTrue(ClassDataArchive.options(jar).contains("-Xlog:cds=off"), "a misfit archive must not print on stdout");
    }

    private Path archive(String name, long modified) throws Exception {
        Path p = Files.write(dir.resolve(name), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(p, FileTime.fromMillis(modified));
        return p;
    }

    private static String last(List<String> options) {
        return options.get(options.size() - 1);
    }
}
