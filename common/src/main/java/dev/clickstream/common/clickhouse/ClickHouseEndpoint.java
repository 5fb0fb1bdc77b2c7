package dev.clickstream.common.clickhouse;

import dev.clickstream.common.profile.ClickHouseConnection;

/**
 * A resolved ClickHouse HTTP(S) address plus credentials.
 *
 * @param url    {@code http://host:8123} or {@code https://host:8443}
 * @param caFile PEM CA for HTTPS; null means the system CAs
 */
public record ClickHouseEndpoint(String url, String user, String password, String database, String caFile) {

    public static ClickHouseEndpoint of(ClickHouseConnection c) {
        return new ClickHouseEndpoint(c.url(), c.user(), c.password(), c.databaseOrDefault(), c.caFile());
    }

    public ClickHouseEndpoint withCredentials(String newUser, String newPassword) {
        return new ClickHouseEndpoint(url, newUser, newPassword, database, caFile);
    }

    /** Another server of the same cluster, reached with the same credentials. */
    public ClickHouseEndpoint withUrl(String newUrl) {
        return new ClickHouseEndpoint(newUrl, user, password, database, caFile);
    }

    public ClickHouseEndpoint withDatabase(String newDatabase) {
        return new ClickHouseEndpoint(url, user, password, newDatabase, caFile);
    }

    public String describe() {
        return url + " as '" + user + "'";
    }

    @Override
    public String toString() {
        return "ClickHouseEndpoint[" + describe() + "]";
    }
}
