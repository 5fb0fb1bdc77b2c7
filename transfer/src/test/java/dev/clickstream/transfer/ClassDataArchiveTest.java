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

        Path stale = archive("transfer.jar.1-1.jsa", now - 120_000); // older than the jar: built before it
        Path good = archive("transfer.jar.2-2.jsa", now - 30_000);
        Path newer = archive("transfer.jar.3-3.jsa", now - 20_000);
        Path writing = archive("transfer.jar.4-4.jsa", now); // its JVM may still be writing it
        assertEquals("-XX:SharedArchiveFile=" + newer, last(ClassDataArchive.options(jar)));
        assertTrue(Files.exists(stale) && Files.exists(good) && Files.exists(writing));
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
