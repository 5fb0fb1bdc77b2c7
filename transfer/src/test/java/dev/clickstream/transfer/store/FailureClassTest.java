package dev.clickstream.transfer.store;

import dev.clickstream.common.error.UserFacingException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureClassTest {
    @Test
    void server_codes_fall_in_one_class_each() {
        assertEquals(FailureClass.TRANSIENT, FailureClass.ofCode(-1), "no code: unreachable or timed out");
        assertEquals(FailureClass.TRANSIENT, FailureClass.ofCode(252), "too many parts");
        assertEquals(FailureClass.TRANSIENT, FailureClass.ofCode(241), "memory limit");
        assertEquals(FailureClass.TRANSIENT, FailureClass.ofCode(242), "a readonly replica");
        assertEquals(FailureClass.TABLE_CHANGED, FailureClass.ofCode(16), "no such column");
        assertEquals(FailureClass.TABLE_CHANGED, FailureClass.ofCode(60), "table dropped");
        assertEquals(FailureClass.ROW, FailureClass.ofCode(469), "a constraint");
        assertEquals(FailureClass.FATAL, FailureClass.ofCode(81), "database gone");
        assertEquals(FailureClass.FATAL, FailureClass.ofCode(497), "no grant");
        assertEquals(FailureClass.FATAL, FailureClass.ofCode(164), "a readonly user");
        assertEquals(FailureClass.UNKNOWN, FailureClass.ofCode(62));
    }

    @Test
    void only_fatal_failures_and_bugs_are_not_retried() {
        assertTrue(FailureClass.of(new UserFacingException("cannot reach ClickHouse")).retryable());
        assertTrue(FailureClass.of(new org.apache.kafka.common.errors.TimeoutException("t")).retryable());
        assertTrue(FailureClass.of(new TableChanged("column a is gone")).retryable());
        assertFalse(FailureClass.of(new FatalFailure("database gone", null)).retryable());
        assertFalse(FailureClass.of(new IllegalStateException("a bug")).retryable());
        assertTrue(FailureClass.fixFor(81, "db", "u").contains("CREATE DATABASE db"));
        assertTrue(FailureClass.fixFor(497, "db", "u").contains("grant user 'u' INSERT"));
    }
}
