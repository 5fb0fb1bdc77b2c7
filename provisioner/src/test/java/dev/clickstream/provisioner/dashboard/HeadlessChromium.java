package dev.clickstream.provisioner.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium (or another Chromium-based browser on PATH) in headless mode: loads a page, lets its
 * timers and fetches run for 10 s of virtual time, then dumps the DOM or takes a screenshot.
 */
final class HeadlessChromium {
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "chromium", "chromium-browser",
            "google-chrome", "google-chrome-stable");

    private final Path binary;
    private final Path workDir;

    HeadlessChromium(Path workDir) {
        this.binary = find();
        this.workDir = workDir;
    }

    String dumpDom(String url) {
        return run(List.of("--dump-dom", url));
    }

    void screenshot(String url, Path png, int width, int height) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, url));
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
    }

    private String run(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + workDir.resolve("profile-" + System.nanoTime()), "--virtual-time-budget=10000"));
        cmd.addAll(args);
        Path stdout = workDir.resolve("chromium-" + System.nanoTime() + ".out");
        Path stderr = workDir.resolve("chromium-" + System.nanoTime() + ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within 90 s: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + p.exitValue() + ": " + Files.readString(stderr));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path find() {
        String fromEnv = System.getenv("CHROMIUM");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        for (String candidate : CANDIDATES) {
            if (candidate.startsWith("/")) {
                if (Files.isExecutable(Path.of(candidate))) {
                    return Path.of(candidate);
                }
                continue;
            }
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path p = Path.of(dir, candidate);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new AssertionError("no Chromium to load the dashboard in: ./run-tests installs Debian's chromium "
                + "(apt-get install -y chromium), or set CHROMIUM to a Chromium-based browser");
    }
}
