package dev.clickstream.transfer.parse;

import dev.clickstream.transfer.schema.Column;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** For each top-level field name, the columns it feeds: one read directly, and those read through nested paths. */
final class TopLevelPlans {
    /** {@code direct}: the column of the name itself, or -1; {@code nested}: columns of paths under it, or null. */
    record Plan(int direct, int[] nested) {
    }

    private final Map<String, Plan> plans = new HashMap<>();
    /** Field names in the order the last line had them: events of one stream nearly always repeat it. */
    private String[] lastNames = new String[32];
    private Plan[] lastPlans = new Plan[32];

    TopLevelPlans(List<Column> columns) {
        Map<String, List<Integer>> nested = new LinkedHashMap<>();
        Map<String, Integer> direct = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (!c.isField()) {
                continue;
            }
            if (c.isNested()) {
                nested.computeIfAbsent(c.topLevelName(), k -> new ArrayList<>()).add(i);
            } else {
                direct.put(c.topLevelName(), i);
            }
        }
        for (var e : direct.entrySet()) {
            plans.put(e.getKey(), new Plan(e.getValue(), null));
        }
        for (var e : nested.entrySet()) {
            int d = direct.getOrDefault(e.getKey(), -1);
            plans.put(e.getKey(), new Plan(d, e.getValue().stream().mapToInt(Integer::intValue).toArray()));
        }
    }

    /** The plan of a name at a position; names are interned by Jackson, so a repeated order costs one comparison. */
    Plan of(String name, int position) {
        if (position < lastNames.length) {
            if (lastNames[position] == name) {
                return lastPlans[position];
            }
            Plan plan = plans.get(name);
            lastNames[position] = name;
            lastPlans[position] = plan;
            return plan;
        }
        return plans.get(name);
    }
}
