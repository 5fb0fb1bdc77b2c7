package dev.clickstream.common.cli;

import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.error.UserFacingException;
import picocli.CommandLine.Option;

/** ClickHouse connection flags; without {@code --clickhouse-url} the connection profile is used. */
public class ClickHouseOptions {
    @Option(names = "--clickhouse-url", paramLabel = "URL",
            description = "ClickHouse HTTP(S) address, e.g. https://host:8443 (default: the connection profile).")
    String url;

    @Option(names = "--clickhouse-user", paramLabel = "NAME", description = "ClickHouse user.")
    String user;

    @Option(names = "--clickhouse-password", paramLabel = "SECRET",
            description = "ClickHouse password (or set CLICKSTREAM_CLICKHOUSE_PASSWORD).")
    String password;

    @Option(names = "--clickhouse-ca-file", paramLabel = "PEM", description = "CA certificate for HTTPS.")
    String caFile;

    public boolean urlGiven() {
        return url != null;
    }

    /** The endpoint from the flags, or from the profile with any flag given taking precedence. */
    public ClickHouseEndpoint resolve(StateOptions state) {
        String pw = password != null ? password : System.getenv("CLICKSTREAM_CLICKHOUSE_PASSWORD");
        if (url != null) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new UserFacingException("--clickhouse-url: '" + url + "' must start with http:// or https://",
                        ExitCodes.USAGE, null);
            }
            return new ClickHouseEndpoint(url, user == null ? "default" : user, pw == null ? "" : pw, "default",
                    caFile);
        }
        ClickHouseEndpoint e = ClickHouseEndpoint.of(state.loadProfile().clickhouseConnection());
        if (user != null || pw != null) {
            e = e.withCredentials(user != null ? user : e.user(), pw != null ? pw : e.password());
        }
        if (caFile != null) {
            e = new ClickHouseEndpoint(e.url(), e.user(), e.password(), e.database(), caFile);
        }
        return e;
    }
}
