package dev.clickstream.transfer.store;

import dev.clickstream.common.error.UserFacingException;

/** A failure no retry fixes, explained with the table it concerns and what to do: the service stops with exit 1. */
public final class FatalFailure extends UserFacingException {
    public FatalFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
