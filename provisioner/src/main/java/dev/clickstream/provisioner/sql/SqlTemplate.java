package dev.clickstream.provisioner.sql;

import dev.clickstream.common.error.UserFacingException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small template language of the files in sql/: {@code ${NAME}} placeholders, and blocks between
 * {@code -- #if NAME} and {@code -- #end} that stay only when NAME holds (blocks nest). Plain SQL otherwise, so the
 * files read as SQL and can be pasted into clickhouse-client once the placeholders are filled in.
 */
public final class SqlTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");
    private static final Pattern IF = Pattern.compile("^\\s*--\\s*#if\\s+([a-z_]+)\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*--\\s*#end\\s*$");

    private SqlTemplate() {
    }

    /**
     * Keeps the blocks whose condition is in {@code holding} (each must be one of {@code known}) and
     * replaces every placeholder; an unknown placeholder or condition is an error naming the line.
     */
    public static String render(String name, String template, Map<String, String> values, Set<String> holding,
                                Set<String> known) {
        StringBuilder out = new StringBuilder();
        String[] lines = template.split("\n", -1);
        Deque<String> open = new ArrayDeque<>();
        Deque<Integer> openedAt = new ArrayDeque<>();
        int skipping = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher ifMatch = IF.matcher(line);
            if (ifMatch.matches()) {
                String condition = ifMatch.group(1);
                if (!known.contains(condition)) {
                    throw new UserFacingException(name + ":" + (i + 1) + ": unknown condition '" + condition
                            + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
                }
                open.push(condition);
                openedAt.push(i + 1);
                if (skipping > 0 || !holding.contains(condition)) {
                    skipping++;
                }
                continue;
            }
            if (END.matcher(line).matches()) {
                if (open.isEmpty()) {
                    throw new UserFacingException(name + ":" + (i + 1) + ": `#end` without `#if`");
                }
                open.pop();
                openedAt.pop();
                if (skipping > 0) {
                    skipping--;
                }
                continue;
            }
            if (skipping > 0) {
                continue;
            }
            out.append(substitute(name, i + 1, line, values));
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        if (!open.isEmpty()) {
            throw new UserFacingException(name + ":" + openedAt.peek() + ": `#if " + open.peek()
                    + "` is never closed by `#end`");
        }
        return out.toString();
    }

    private static String substitute(String name, int lineNumber, String line, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new UserFacingException(name + ":" + lineNumber + ": unknown placeholder ${" + m.group(1)
                        + "} (known: " + String.join(", ", new TreeSet<>(values.keySet())) + ")");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * Splits a script into statements at semicolons outside string literals and comments, dropping the
     * comments and blank lines, so each statement can go to the server on its own.
     */
    public static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                while (i < n && script.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '\'' || c == '`' || c == '"') {
                int end = closingQuote(script, i, c);
                current.append(script, i, end + 1);
                i = end + 1;
                continue;
            }
            if (c == ';') {
                add(statements, current);
                current.setLength(0);
                i++;
                continue;
            }
            current.append(c);
            i++;
        }
        add(statements, current);
        return statements;
    }

    private static int closingQuote(String s, int start, char quote) {
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        throw new UserFacingException("unterminated " + quote + " quote in the SQL near: "
                + s.substring(start, Math.min(s.length(), start + 40)));
    }

    private static void add(List<String> statements, StringBuilder sb) {
        StringBuilder kept = new StringBuilder();
        for (String line : sb.toString().split("\n")) {
            if (!line.isBlank()) {
                kept.append(line.stripTrailing()).append('\n');
            }
        }
        String statement = kept.toString().strip();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
    }
}
