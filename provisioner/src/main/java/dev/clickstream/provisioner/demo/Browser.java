package dev.clickstream.provisioner.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a URL in the desktop's browser when there is a desktop; on a server it does nothing. */
final class Browser {
    private Browser() {
    }

    static void open(String url, PrintWriter out) {
        boolean desktop = System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
        Path opener = Path.of("/usr/bin/xdg-open");
        if (!desktop || !Files.isExecutable(opener)) {
            return;
        }
        try {
            new ProcessBuilder(opener.toString(), url).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            out.println("  opened in your browser");
        } catch (IOException e) {
            out.println("  (could not open a browser: " + e.getMessage() + ")");
        }
    }
}
