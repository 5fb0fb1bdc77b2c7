package dev.clickstream.stack.clickhouse;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.stack.process.LogTail;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ClickHouse server program on this machine: {@code clickhouse-server} (Debian's 18.16 package and
 * modern packages alike) or the single {@code clickhouse} binary of modern releases ({@code clickhouse server}).
 *
 * @param command      what to run before {@code --config-file=...}
 * @param majorVersion the major version when the binary tells it (18.16 does not: then 0)
 */
public record ClickHouseBinary(List<String> command, int majorVersion) {
    private static final List<Path> SEARCH = List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"),
            Path.of("/usr/local/bin"), Path.of("/opt/clickhouse/bin"));
    static final String INSTALL_COMMAND =
            "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y clickhouse-server clickhouse-client";

    /** Modern servers name the config root {@code <clickhouse>}; 18.16 only knows {@code <yandex>}. */
    public String configRoot() {
        return majorVersion >= 22 ? "clickhouse" : "yandex";
    }

    /** Set either to run a ClickHouse server that is not on PATH (a modern release unpacked somewhere, say). */
    public static final String PROPERTY = "clickstream.clickhouse.server";
    public static final String ENV = "CLICKSTREAM_CLICKHOUSE_SERVER";

    public static Optional<ClickHouseBinary> find() {
        String configured = System.getProperty(PROPERTY, System.getenv(ENV));
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isExecutable(p)) {
                throw new UserFacingException(ENV + "=" + configured + " is not an executable file");
            }
            List<String> cmd = p.getFileName().toString().equals("clickhouse")
                    ? List.of(p.toString(), "server") : List.of(p.toString());
            return Optional.of(new ClickHouseBinary(cmd, probeMajor(cmd)));
        }
        for (Path dir : searchPath()) {
            Path server = dir.resolve("clickhouse-server");
            if (Files.isExecutable(server)) {
                return Optional.of(new ClickHouseBinary(List.of(server.toString()), probeMajor(List.of(server.toString()))));
            }
        }
        for (Path dir : searchPath()) {
            Path single = dir.resolve("clickhouse");
            if (Files.isExecutable(single) && !Files.isDirectory(single)) {
                List<String> cmd = List.of(single.toString(), "server");
                return Optional.of(new ClickHouseBinary(cmd, probeMajor(cmd)));
            }
        }
        return Optional.empty();
    }

    /**
     * Finds the server, installing Debian's package when it is missing on a Debian-like system and we are
     * root; anywhere else it stops with the exact command to run.
     */
    public static ClickHouseBinary findOrInstall(PrintWriter out, Path installLog) {
        Optional<ClickHouseBinary> found = find();
        if (found.isPresent()) {
            return found.get();
        }
        boolean debian = Files.isRegularFile(Path.of("/etc/debian_version"));
        if (!debian) {
            throw new UserFacingException("ClickHouse server not found on PATH or in /usr/bin, /usr/sbin: install it "
                    + "(https://clickhouse.com/docs/install) and run `./clickstream up` again");
        }
        if (!isRoot()) {
            throw new UserFacingException("ClickHouse server not found: install it with `sudo sh -c '" + INSTALL_COMMAND
                    + "'` and run `./clickstream up` again");
        }
        out.println("ClickHouse server not found: installing Debian's clickhouse-server package (log: " + installLog + ")");
        out.flush();
        try {
            Files.createDirectories(installLog.getParent());
            Process p = new ProcessBuilder("sh", "-c", INSTALL_COMMAND).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(installLog.toFile())).start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new UserFacingException("installing clickhouse-server failed (`" + INSTALL_COMMAND + "`)\n"
                        + LogTail.format(installLog, 10));
            }
        } catch (IOException e) {
            throw new UserFacingException("cannot run apt-get to install clickhouse-server: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while installing clickhouse-server");
        }
        return find().orElseThrow(() -> new UserFacingException(
                "clickhouse-server was installed but is still not found in /usr/bin or /usr/sbin"));
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return "root".equals(System.getProperty("user.name"));
        }
        return false;
    }

    private static List<Path> searchPath() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String p : path.split(":")) {
                if (!p.isBlank()) {
                    dirs.add(Path.of(p));
                }
            }
        }
        for (Path p : SEARCH) {
            if (!dirs.contains(p)) {
                dirs.add(p);
            }
        }
        return dirs;
    }

    private static int probeMajor(List<String> command) {
        List<String> cmd = new ArrayList<>(command);
        cmd.add("--version");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("version (\\d+)\\.").matcher(new String(out, StandardCharsets.UTF_8));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
