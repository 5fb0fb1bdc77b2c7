package dev.clickstream.stack.kafka;

import dev.clickstream.common.error.UserFacingException;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The folder of jars that runs a Kafka broker (built by the kafka-runtime module from Maven Central).
 * Found through {@code -Dclickstream.kafka.lib}, {@code $CLICKSTREAM_KAFKA_LIB}, or by walking up from
 * this class's jar or classes folder to the source tree's {@code kafka-runtime/target/lib}.
 */
public record KafkaDistribution(Path libDir) {
    public static final String PROPERTY = "clickstream.kafka.lib";
    public static final String ENV = "CLICKSTREAM_KAFKA_LIB";

    public static KafkaDistribution locate() {
        return find().orElseThrow(() -> new UserFacingException(
                "cannot find the Kafka broker jars (kafka-runtime/target/lib): build them with "
                        + "`mvn -q -DskipTests package` at the project root, or set " + ENV));
    }

    static Optional<KafkaDistribution> find() {
        String configured = System.getProperty(PROPERTY, System.getenv(ENV));
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            return hasBroker(dir) ? Optional.of(new KafkaDistribution(dir)) : Optional.empty();
        }
        try {
            Path here = Path.of(KafkaDistribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = here; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("kafka-runtime").resolve("target").resolve("lib");
                if (hasBroker(candidate)) {
                    return Optional.of(new KafkaDistribution(candidate));
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean hasBroker(Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("kafka_2.13-"));
        } catch (Exception e) {
            return false;
        }
    }

    /** A classpath for {@code java -cp}: the JVM expands the trailing star itself. */
    public String classpath() {
        return libDir.resolve("*").toString();
    }

    public String version() {
        try (var files = Files.list(libDir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("kafka_2.13-") && n.endsWith(".jar"))
                    .map(n -> n.substring("kafka_2.13-".length(), n.length() - ".jar".length()))
                    .findFirst().orElse("unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }

    public static Path javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
