package dev.clickstream.producer.generate;

/** What stays the same for one user across sessions: the device they browse with and where they are. */
public record UserProfile(int index, JsonText device, JsonText os, JsonText browser, JsonText userAgent,
                          JsonText country) {

    /** The {@code user_id} of this user. */
    public String userId() {
        return Audience.USER_ID_PREFIX + index;
    }
}
