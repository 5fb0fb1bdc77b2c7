package dev.clickstream.producer.generate;

import dev.clickstream.common.event.ClickEvent;

import java.util.SplittableRandom;

/**
 * Simulated shop traffic: a fixed number of concurrent sessions, each a user moving through the shop's
 * funnel; the next event always comes from the session whose next step is earliest, so {@code user_ts}
 * never goes backwards and a user's events arrive in order. When a session ends, a new visitor arrives.
 *
 * <p>Everything is derived from {@link Settings#seed()}: the same settings give the same events, byte for
 * byte. Time is simulated: at {@link Settings#eventsPerSecond()} the stream covers one second of traffic
 * per that many events, whatever speed the events are actually produced at.
 */
public final class EventGenerator {
    /** Average time between two events of one session, when the traffic allows enough sessions. */
    static final double MEAN_THINK_SECONDS = 20;
    public static final int MAX_SESSIONS = 100_000;

    /**
     * @param seed            every random choice derives from it
     * @param startMicros     {@code user_ts} of the first events, microseconds since the epoch
     * @param eventsPerSecond simulated traffic: events per second of event time
     * @param users           how many different users visit
     * @param products        how many products the shop sells
     * @param sessions        concurrent sessions; 0 derives them from the traffic (events/s times the think
     *                        time). Fewer sessions finish their funnel within a short run.
     * @param wallClock       stamp events with the time they are generated instead of simulated time: for a
     *                        paced live stream, whose simulated time would otherwise drift from the clock
     */
    public record Settings(long seed, long startMicros, double eventsPerSecond, int users, int products, int sessions,
                           boolean wallClock) {
        public static final double DEFAULT_EVENTS_PER_SECOND = 1000;
        public static final int DEFAULT_USERS = 100_000;
        public static final int DEFAULT_PRODUCTS = 2_000;

        public Settings {
            if (!(eventsPerSecond > 0)) {
                throw new IllegalArgumentException("eventsPerSecond must be positive");
            }
            if (users < 1 || products < 1) {
                throw new IllegalArgumentException("users and products must be at least 1");
            }
            if (sessions < 0 || sessions > MAX_SESSIONS) {
                throw new IllegalArgumentException("sessions must be between 0 and " + MAX_SESSIONS);
            }
        }

        public static Settings of(long seed, long startMicros) {
            return new Settings(seed, startMicros, DEFAULT_EVENTS_PER_SECOND, DEFAULT_USERS, DEFAULT_PRODUCTS, 0, false);
        }

        public Settings withEventsPerSecond(double rate) {
            return new Settings(seed, startMicros, rate, users, products, sessions, wallClock);
        }

        public Settings withSessions(int concurrent) {
            return new Settings(seed, startMicros, eventsPerSecond, users, products, concurrent, wallClock);
        }

        public Settings withWallClock(boolean stampWithClock) {
            return new Settings(seed, startMicros, eventsPerSecond, users, products, sessions, stampWithClock);
        }
    }

    private final SplittableRandom random;
    private final Catalog catalog;
    private final Audience audience;
    private final Session[] sessions;
    private final SessionQueue queue;
    private final double meanThinkMicros;
    private final long idBase;
    private long count;
    private final EventDraft scratch = new EventDraft();
    private final boolean wallClock;
    private long lastStampMicros;

    public EventGenerator(Settings settings) {
        long seed = settings.seed();
        wallClock = settings.wallClock();
        random = new SplittableRandom(seed);
        catalog = new Catalog(Ids.mix(seed + 1), settings.products());
        audience = new Audience(Ids.mix(seed + 2), settings.users());
        idBase = Ids.mix(seed + 3);
        int concurrent = settings.sessions() > 0 ? settings.sessions() : (int) Math.max(1, Math.min(MAX_SESSIONS,
                Math.round(settings.eventsPerSecond() * MEAN_THINK_SECONDS)));
        meanThinkMicros = concurrent / settings.eventsPerSecond() * 1e6;
        sessions = new Session[concurrent];
        long[] firstEvents = new long[concurrent];
        for (int i = 0; i < concurrent; i++) {
            long first = settings.startMicros() + (long) (random.nextDouble() * meanThinkMicros);
            sessions[i] = newSession(first);
            firstEvents[i] = first;
        }
        queue = new SessionQueue(firstEvents);
    }

    public Catalog catalog() {
        return catalog;
    }

    /** How many events this generator has produced. */
    public long count() {
        return count;
    }

    /** Fills {@code d} with the next event. */
    public void next(EventDraft d) {
        int slot = queue.earliestSlot();
        Session session = sessions[slot];
        session.emit(d, random, catalog, meanThinkMicros);
        if (wallClock) {
            java.time.Instant now = java.time.Instant.now();
            lastStampMicros = Math.max(lastStampMicros, now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
            d.userTsMicros = lastStampMicros;
        }
        d.id = Ids.mix(idBase + count++);
        d.eventIdHigh = (random.nextLong() & ~0xF000L) | 0x4000L;                 // UUID version 4
        d.eventIdLow = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        if (session.over()) {
            // A new visitor arrives about one think time after this one left, keeping the traffic steady.
            long arrival = session.nextMicros + (long) (-Math.log(1 - random.nextDouble()) * meanThinkMicros);
            session = newSession(arrival);
            sessions[slot] = session;
        }
        queue.rescheduleEarliest(session.nextMicros);
    }

    /** The next event as the shared record (allocates; the producer's hot path uses {@link #next(EventDraft)}). */
    public ClickEvent next() {
        next(scratch);
        return scratch.toClickEvent();
    }

    private Session newSession(long firstEventMicros) {
        UserProfile user = audience.profile(audience.visitor(random));
        return new Session(user, random.nextLong(), firstEventMicros);
    }
}
