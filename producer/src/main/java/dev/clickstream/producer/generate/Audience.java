package dev.clickstream.producer.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated users: each user index maps, through the seed, to the same device, OS, browser, user agent
 * and country every time, so a returning user looks like the same person without keeping a table of users.
 */
public final class Audience {
    static final String USER_ID_PREFIX = "u-";

    private record Platform(JsonText device, JsonText os, Weighted<Agent> agents) {
    }

    private record Agent(JsonText browser, List<JsonText> userAgents) {
    }

    private static final JsonText DESKTOP = JsonText.of("desktop");
    private static final JsonText MOBILE = JsonText.of("mobile");
    private static final JsonText TABLET = JsonText.of("tablet");

    private static final Weighted<Platform> PLATFORMS = Weighted.<Platform>builder()
            .add(30, platform(DESKTOP, "Windows", Weighted.<Agent>builder()
                    .add(68, agent("Chrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                            + " Chrome/%s.0.0.0 Safari/537.36", "129", "130", "131"))
                    .add(22, agent("Edge", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                            + " Chrome/%1$s.0.0.0 Safari/537.36 Edg/%1$s.0.0.0", "130", "131"))
                    .add(10, agent("Firefox", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%1$s.0) Gecko/20100101"
                            + " Firefox/%1$s.0", "132", "133"))))
            .add(12, platform(DESKTOP, "macOS", Weighted.<Agent>builder()
                    .add(50, agent("Safari", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
                            + " (KHTML, like Gecko) Version/%s Safari/605.1.15", "17.6", "18.1"))
                    .add(44, agent("Chrome", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36"
                            + " (KHTML, like Gecko) Chrome/%s.0.0.0 Safari/537.36", "130", "131"))
                    .add(6, agent("Firefox", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:%1$s.0) Gecko/20100101"
                            + " Firefox/%1$s.0", "133"))))
            .add(2, platform(DESKTOP, "Linux", Weighted.<Agent>builder()
                    .add(60, agent("Chrome", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                            + " Chrome/%s.0.0.0 Safari/537.36", "131"))
                    .add(40, agent("Firefox", "Mozilla/5.0 (X11; Linux x86_64; rv:%1$s.0) Gecko/20100101 Firefox/%1$s.0",
                            "128", "133"))))
            .add(28, platform(MOBILE, "Android", Weighted.<Agent>builder()
                    .add(82, agent("Chrome", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
                            + " Chrome/%s.0.0.0 Mobile Safari/537.36", "130", "131"))
                    .add(18, agent("Samsung Internet", "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36"
                            + " (KHTML, like Gecko) SamsungBrowser/%s Chrome/122.0.0.0 Mobile Safari/537.36", "26.0",
                            "27.0"))))
            .add(21, platform(MOBILE, "iOS", Weighted.<Agent>builder()
                    .add(88, agent("Safari", "Mozilla/5.0 (iPhone; CPU iPhone OS %1$s like Mac OS X) AppleWebKit/605.1.15"
                            + " (KHTML, like Gecko) Version/%2$s Mobile/15E148 Safari/604.1", "17_6|17.6", "18_1|18.1"))
                    .add(12, agent("Chrome", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
                            + " (KHTML, like Gecko) CriOS/%s Mobile/15E148 Safari/604.1", "131.0.6778.73"))))
            .add(4, platform(TABLET, "iPadOS", Weighted.<Agent>builder()
                    .add(100, agent("Safari", "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
                            + " (KHTML, like Gecko) Version/%s Mobile/15E148 Safari/604.1", "18.1"))))
            .add(3, platform(TABLET, "Android", Weighted.<Agent>builder()
                    .add(100, agent("Chrome", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
                            + " Chrome/%s.0.0.0 Safari/537.36", "131"))))
            .build();

    private static final Weighted<JsonText> COUNTRIES = weighted(
            "US", 28, "DE", 8, "GB", 7, "IN", 7, "BR", 5, "FR", 5, "JP", 4, "CA", 4, "NL", 3, "ES", 3, "IT", 3,
            "PL", 3, "MX", 3, "AU", 2, "SE", 2, "TR", 2, "ID", 2, "KR", 2, "CH", 1, "AR", 1, "ZA", 1, "NG", 1,
            "PT", 1, "IE", 1, "CZ", 1);

    private final long seed;
    private final int users;

    public Audience(long seed, int users) {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1");
        }
        this.seed = seed;
        this.users = users;
    }

    public int users() {
        return users;
    }

    /** The user with this index; the same index always gives the same profile for the same seed. */
    public UserProfile profile(int index) {
        SplittableRandom random = new SplittableRandom(Ids.mix(seed ^ Ids.mix(index + 0x5DEECE66DL)));
        Platform platform = PLATFORMS.pick(random);
        Agent agent = platform.agents().pick(random);
        JsonText userAgent = agent.userAgents().get(random.nextInt(agent.userAgents().size()));
        return new UserProfile(index, platform.device(), platform.os(), agent.browser(), userAgent,
                COUNTRIES.pick(random));
    }

    /** Who starts a new session: a few users come back often, most rarely. */
    int visitor(SplittableRandom random) {
        return (int) (users * Math.pow(random.nextDouble(), 2.5));
    }

    private static Platform platform(JsonText device, String os, Weighted.Builder<Agent> agents) {
        return new Platform(device, JsonText.of(os), agents.build());
    }

    /** One browser with user-agent variants; a variant "a|b" fills %1$s with a and %2$s with b. */
    private static Agent agent(String browser, String template, String... versions) {
        List<JsonText> userAgents = java.util.Arrays.stream(versions)
                .map(v -> JsonText.of(String.format(template, (Object[]) v.split("\\|"))))
                .toList();
        return new Agent(JsonText.of(browser), userAgents);
    }

    private static Weighted<JsonText> weighted(Object... codeAndWeight) {
        Weighted.Builder<JsonText> b = Weighted.builder();
        for (int i = 0; i < codeAndWeight.length; i += 2) {
            b.add(((Integer) codeAndWeight[i + 1]).doubleValue(), JsonText.of((String) codeAndWeight[i]));
        }
        return b.build();
    }
}
