package dev.clickstream.provisioner.sql;

import dev.clickstream.common.error.UserFacingException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlTemplateTest {
    private static final Set<String> KNOWN = Set.of("modern", "legacy");

    @Test
    void should_keep_only_the_blocks_whose_condition_holds() {
        String t = "a\n-- #if modern\nb\n-- #end\n-- #if legacy\nc\n-- #end\nd";
        assertEquals("a\nb\nd", SqlTemplate.render("t", t, Map.of(), Set.of("modern"), KNOWN));
        assertEquals("a\nc\nd", SqlTemplate.render("t", t, Map.of(), Set.of("legacy"), KNOWN));
    }

    @Test
    void should_fill_in_placeholders_and_name_the_line_of_an_unknown_one() {
        assertEquals("SELECT 1 FROM db.t", SqlTemplate.render("t", "SELECT 1 FROM ${DB}.${T}",
                Map.of("DB", "db", "T", "t"), Set.of(), KNOWN));
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> SqlTemplate.render("f.sql", "x\n${NOPE}", Map.of("DB", "d"), Set.of(), KNOWN));
        assertEquals("f.sql:2: unknown placeholder ${NOPE} (known: DB)", e.getMessage());
    }

    @Test
    void should_keep_a_nested_block_only_when_both_conditions_hold() {
        String t = "-- #if modern\na\n-- #if legacy\nb\n-- #end\nc\n-- #end\nd";
        assertEquals("a\nc\nd", SqlTemplate.render("t", t, Map.of(), Set.of("modern"), KNOWN));
        assertEquals("a\nb\nc\nd", SqlTemplate.render("t", t, Map.of(), Set.of("modern", "legacy"), KNOWN));
        assertEquals("d", SqlTemplate.render("t", t, Map.of(), Set.of("legacy"), KNOWN));
    }

    @Test
    void should_reject_unknown_and_unclosed_blocks() {
        assertTrue(assertThrows(UserFacingException.class, () -> SqlTemplate.render("f", "-- #if cloudy\n-- #end",
                Map.of(), Set.of(), KNOWN)).getMessage().contains("unknown condition 'cloudy'"));
        assertTrue(assertThrows(UserFacingException.class, () -> SqlTemplate.render("f", "-- #if modern\nx",
                Map.of(), Set.of(), KNOWN)).getMessage().contains("never closed"));
        assertTrue(assertThrows(UserFacingException.class, () -> SqlTemplate.render("f", "x\n-- #end",
                Map.of(), Set.of(), KNOWN)).getMessage().contains("f:2: `#end` without `#if`"));
    }

    @Test
    void should_split_statements_at_semicolons_outside_strings_and_comments() {
        String script = """
                -- a comment; with a semicolon
                CREATE TABLE t (s String) ENGINE = Kafka SETTINGS d = '\\n;', e = 'it\\'s;' -- trailing; comment
                ;
                SELECT `odd;name` FROM t;

                """;
        List<String> statements = SqlTemplate.statements(script);
        assertEquals(List.of("CREATE TABLE t (s String) ENGINE = Kafka SETTINGS d = '\\n;', e = 'it\\'s;'",
                "SELECT `odd;name` FROM t"), statements);
    }
}
