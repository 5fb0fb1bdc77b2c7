package dev.clickstream.common.cli;

/** The exit codes every Clickstream command uses. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int RUNTIME_FAILURE = 1;
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
