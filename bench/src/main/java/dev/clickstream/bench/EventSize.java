package dev.clickstream.bench;

import dev.clickstream.common.event.ClickEventJson;
import dev.clickstream.producer.generate.EventGenerator;

/** The average JSON size of the events a seed produces (the producer writes the same bytes). */
final class EventSize {
    private EventSize() {
    }

    static double average(long seed) {
        EventGenerator g = new EventGenerator(EventGenerator.Settings.of(seed, 1_735_689_600_000_000L)
                .withSessions(2000));
        long bytes = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            bytes += ClickEventJson.toBytes(g.next()).length;
        }
        return (double) bytes / n;
    }
}
