package dev.clickstream.common.error;

import dev.clickstream.common.cli.ExitCodes;

/**
 * A failure whose message is already the one line the user should read: what failed, where, and
 * what to do about it. The CLI prints it without a stack trace and exits with {@link #exitCode()}.
 */
public class UserFacingException extends RuntimeException {
    private final int exitCode;

    public UserFacingException(String message) {
        this(message, ExitCodes.RUNTIME_FAILURE, null);
    }

    public UserFacingException(String message, Throwable cause) {
        this(message, ExitCodes.RUNTIME_FAILURE, cause);
    }

    public UserFacingException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
