package dev.clickstream.testsupport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class against the real local stack of this test JVM: one Kafka broker and one ClickHouse
 * server on free ports in a temporary folder, started before the first such class and stopped after the
 * last. Test methods may take a {@link TestStack} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalStackExtension.class)
@Tag("integration")
public @interface WithLocalStack {
}
