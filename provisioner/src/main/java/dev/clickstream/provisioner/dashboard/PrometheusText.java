package dev.clickstream.provisioner.dashboard;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** The samples of a Prometheus text exposition, by series ({@code name} or {@code name{labels}}). */
final class PrometheusText {
    private final Map<String, Double> samples;

    private PrometheusText(Map<String, Double> samples) {
        this.samples = samples;
    }

    static PrometheusText parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int close = line.indexOf('}');
            int space = line.indexOf(' ', close < 0 ? 0 : close);
            if (space < 0) {
                continue;
            }
            String value = line.substring(space + 1).trim().split(" ")[0];
            try {
                samples.put(line.substring(0, space), Double.parseDouble(value));
            } catch (NumberFormatException e) {
                // a value we do not read (NaN spelled otherwise, exemplars): not one of ours
            }
        }
        return new PrometheusText(samples);
    }

    OptionalDouble value(String series) {
        Double v = samples.get(series);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
