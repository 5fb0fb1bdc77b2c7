package dev.clickstream.common.profile;

/**
 * How tools reach ClickHouse. {@code host, https_port, tcp_port_secure, user, password} are the original
 * demo's Terraform output {@code clickhouse_connection}; a local stack fills the plain ports instead.
 *
 * @param httpsPort HTTPS interface; when set, tools use it in preference to {@code httpPort}
 * @param caFile    PEM file with the CA for HTTPS; null means the system CAs
 * @param cluster   the cluster name for ON CLUSTER DDL on a managed service; null on a single server
 * @param clusterHttpPorts the HTTP port of each other server of the cluster by its {@code host:tcp_port}, as
 *                         {@code system.clusters} names it: a local cluster's servers share one host, so a tool
 *                         cannot guess them; null when not needed
 */
public record ClickHouseConnection(
        String host,
        Integer httpsPort,
        Integer tcpPortSecure,
        Integer httpPort,
        Integer tcpPort,
        String user,
        String password,
        String database,
        String caFile,
        String cluster,
        java.util.Map<String, Integer> clusterHttpPorts) {

    public ClickHouseConnection(String host, Integer httpsPort, Integer tcpPortSecure, Integer httpPort, Integer tcpPort,
                                String user, String password, String database, String caFile, String cluster) {
        this(host, httpsPort, tcpPortSecure, httpPort, tcpPort, user, password, database, caFile, cluster, null);
    }

    /** The HTTP(S) address of the server, e.g. {@code http://127.0.0.1:8123}. */
    public String url() {
        return httpsPort != null ? "https://" + host + ":" + httpsPort : "http://" + host + ":" + httpPort;
    }

    public String databaseOrDefault() {
        return database == null || database.isBlank() ? "default" : database;
    }
}
