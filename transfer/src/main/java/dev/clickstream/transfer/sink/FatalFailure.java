package dev.clickstream.transfer.sink;

import dev.clickstream.common.cli.UserFacingException;

/** A failure no retry fixes, explained with the table it concerns and what to do: the service stops with exit 1. */
public final class FatalFailure extends UserFacingException {
    public FatalFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
