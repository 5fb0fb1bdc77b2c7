package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.error.UserFacingException;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The addresses the clusters' IP filters let in: the ones given, or this machine's public ones as an
 * address-echo service sees them. No IPv6 is fine (many networks have none); no IPv4 is not.
 */
final class PublicAddresses {
    static final String DEFAULT_IPV4_LOOKUP = "https://api.ipify.org";
    static final String DEFAULT_IPV6_LOOKUP = "https://api6.ipify.org";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** @param ipv6 null when there is none */
    record Found(String ipv4, String ipv6) {
    }

    private PublicAddresses() {
    }

    static Found resolve(String givenIpv4, String givenIpv6, String ipv4Lookup, String ipv6Lookup, PrintWriter out) {
        if (givenIpv4 != null && !isIpv4(givenIpv4)) {
            throw new UserFacingException("--my-ip: '" + givenIpv4 + "' is not an IPv4 address", ExitCodes.USAGE, null);
        }
        if (givenIpv6 != null && !givenIpv6.isEmpty() && !isIpv6(givenIpv6)) {
            throw new UserFacingException("--my-ipv6: '" + givenIpv6 + "' is not an IPv6 address", ExitCodes.USAGE, null);
        }
        String ipv4 = givenIpv4;
        if (ipv4 == null) {
            ipv4 = lookup(ipv4Lookup).filter(PublicAddresses::isIpv4).orElseThrow(() -> new UserFacingException(
                    "cannot find this machine's public IPv4 address (asked " + ipv4Lookup + "): pass --my-ip A.B.C.D"));
            out.println("Public IPv4 of this machine: " + ipv4 + " (from " + ipv4Lookup + "; --my-ip sets another)");
        }
        String ipv6 = givenIpv6 == null || givenIpv6.isEmpty() ? null : givenIpv6;
        if (givenIpv6 == null) {
            ipv6 = lookup(ipv6Lookup).filter(PublicAddresses::isIpv6).orElse(null);
            out.println(ipv6 != null
                    ? "Public IPv6 of this machine: " + ipv6 + " (from " + ipv6Lookup + "; --my-ipv6 sets another)"
                    : "No public IPv6 found (asked " + ipv6Lookup + "): the clusters will accept IPv4 only");
        }
        out.flush();
        return new Found(ipv4, ipv6);
    }

    static boolean isIpv4(String s) {
        return s != null && IPV4.matcher(s).matches();
    }

    static boolean isIpv6(String s) {
        if (s == null || !s.contains(":") || !IPV6_CHARS.matcher(s).matches()) {
            return false;
        }
        try {
            // Only hex digits, colons and dots: parsed as a literal, never looked up in DNS.
            return InetAddress.getByName(s) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Optional<String> lookup(String url) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body().strip()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
