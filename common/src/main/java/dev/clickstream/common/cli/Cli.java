package dev.clickstream.common.cli;

import dev.clickstream.common.error.UserFacingException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Runs a picocli command the way every Clickstream tool does: usage errors exit 2 with the usage
 * text, runtime failures exit 1 with one line ({@code error: ...}) and no stack trace unless
 * {@code CLICKSTREAM_DEBUG=1}.
 */
public final class Cli {
    private Cli() {
    }

    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        giveVersion(cli, cli.getCommandName());
        cli.setExitCodeExceptionMapper(Cli::exitCodeOf);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            printError(commandLine.getErr(), ex);
            return exitCodeOf(ex);
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println("error: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
                failed.usage(err, failed.getColorScheme());
            }
            return ExitCodes.USAGE;
        });
        return cli;
    }

    /** Every command and subcommand answers --version with the build's version and commit. */
    private static void giveVersion(CommandLine cli, String tool) {
        cli.getCommandSpec().versionProvider(new BuildInfo(tool));
        for (CommandLine sub : cli.getSubcommands().values()) {
            giveVersion(sub, tool);
        }
    }

    /**
     * Parses and runs with the process's stdout as the command's output; returns the exit code (callers
     * decide whether to System.exit).
     */
    public static int run(Object command, String... args) {
        CommandLine cli = commandLine(command);
        cli.setOut(new StdoutWriter());
        return cli.execute(args);
    }

    public static void printError(PrintWriter err, Throwable ex) {
        err.println("error: " + oneLine(ex));
        if ("1".equals(System.getenv("CLICKSTREAM_DEBUG"))) {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    public static int exitCodeOf(Throwable ex) {
        if (ex instanceof UserFacingException u) {
            return u.exitCode();
        }
        if (ex instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.RUNTIME_FAILURE;
    }

    /** The message of a user-facing exception, or the deepest cause's message with its type when it has none. */
    public static String oneLine(Throwable ex) {
        if (ex instanceof UserFacingException) {
            return ex.getMessage();
        }
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof UserFacingException) {
                return root.getMessage();
            }
            root = root.getCause();
        }
        String message = root.getMessage();
        String text = message == null || message.isBlank() ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + message;
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
