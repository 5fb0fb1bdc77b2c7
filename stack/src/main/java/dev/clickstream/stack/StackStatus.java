package dev.clickstream.stack;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a local stack for {@code clickstream status}.
 *
 * @param topics message count per topic (end minus start offsets, summed over partitions)
 * @param tables row count per {@code database.table}; -1 for tables that hold no rows of their own
 */
public record StackStatus(List<Service> services, Map<String, Long> topics, Map<String, Long> tables) {

    /** One service's health. {@code detail} says why it is unhealthy, or what it runs when healthy. */
    public record Service(String name, long pid, boolean running, boolean healthy, Map<String, String> endpoints,
                          String detail) {
    }

    public boolean healthy() {
        return !services.isEmpty() && services.stream().allMatch(Service::healthy);
    }

    public boolean anyRunning() {
        return services.stream().anyMatch(Service::running);
    }
}
