package dev.clickstream.stack.cluster;

/**
 * ZooKeeper or a server of the local cluster did not come up: the message names it and carries the tail of its
 * log. {@code up} then stops the members it started and reports the message as it is.
 */
public final class ClusterStartFailure extends RuntimeException {
    ClusterStartFailure(String message) {
        super(message);
    }
}
