package dev.clickstream.testsupport.chdb;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the test class one {@link ChdbSession} (ClickHouse 26.x in this JVM), opened before its first test and
 * closed after its last; tests and {@code @BeforeAll} methods take it as a parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ChdbExtension.class)
public @interface WithChdb {
}
