package dev.clickstream.stack.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code SHARDSxREPLICAS} of a local ClickHouse cluster, e.g. 1x2 (two replicas) or 2x1 (two shards). */
public record ClusterShape(int shards, int replicas) {
    /** The one cluster a local stack defines in remote_servers, and the name the profile gives ON CLUSTER. */
    public static final String NAME = "clickstream";
    /** Every server costs about 150 MB and a share of two cores: more than four is not a test bed any more. */
    public static final int MAX_SERVERS = 4;
    private static final Pattern SHAPE = Pattern.compile("(\\d+)x(\\d+)");

    public ClusterShape {
        if (shards < 1 || replicas < 1 || shards * replicas > MAX_SERVERS || shards * replicas < 2) {
            throw new IllegalArgumentException(shards + "x" + replicas + ": between 2 and " + MAX_SERVERS
                    + " servers in all (1x2, 2x1, 2x2, 1x3, ...)");
        }
    }

    public static ClusterShape parse(String text) {
        Matcher m = SHAPE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not SHARDSxREPLICAS (e.g. 1x2, 2x1, 2x2)");
        }
        return new ClusterShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Every (shard, replica) from 1, shard by shard; the first is the stack's own server. */
    public List<int[]> members() {
        List<int[]> out = new ArrayList<>();
        for (int s = 1; s <= shards; s++) {
            for (int r = 1; r <= replicas; r++) {
                out.add(new int[] {s, r});
            }
        }
        return out;
    }

    /** The service name of a member in status, logs and the state: clickhouse for s1r1, clickhouse-s1r2 after. */
    public static String serviceName(int shard, int replica) {
        return shard == 1 && replica == 1 ? "clickhouse" : "clickhouse-s" + shard + "r" + replica;
    }

    @Override
    public String toString() {
        return shards + "x" + replicas;
    }
}
