package dev.clickstream.transfer.config;

import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.error.UserFacingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads transfer.yaml into {@link TransferConfig}: {@code ${NAME}} is replaced by the environment
 * variable NAME (so passwords stay out of the file), unknown keys are errors, and every error names the
 * file, the line and the field's path.
 */
public final class ConfigLoader {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {
    }

    public static TransferConfig load(Path file) {
        return load(file, System::getenv);
    }

    static TransferConfig load(Path file, Function<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw usage(file + ": no such file (a sample: transfer/transfer.yaml)");
        } catch (IOException e) {
            throw usage(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text, env);
    }

    public static TransferConfig parse(String name, String text, Function<String, String> env) {
        TransferConfig config;
        try {
            config = YAML.readValue(substitute(name, text, env), TransferConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known: " + e.getKnownPropertyIds().stream()
                    .map(Object::toString).map(ConfigLoader::snake).sorted().collect(Collectors.joining(", ")) + ")";
            // no line number: Jackson reports where the enclosing record ends, not where the key is
            String instead = DoubleCloudKeys.instead(path(e.getPath()));
            throw usage(name + ": " + path(e.getPath()) + ": unknown key"
                    + (instead == null ? known : " (DoubleCloud's; " + instead + ")"));
        } catch (JsonMappingException e) {
            if (path(e.getPath()).endsWith("schema.fields") && String.valueOf(e.getOriginalMessage()).contains("Object value")) {
                // Terraform's blocks nest as fields { field { … } }; YAML needs no such level
                throw usage(name + where(e.getLocation()) + ": " + path(e.getPath())
                        + ": not a list: write fields: [{name: …, type: …}, …] without a field: level");
            }
            throw usage(name + where(e.getLocation()) + ": " + path(e.getPath()) + ": " + oneLine(e.getOriginalMessage())
                    .replaceAll(" \\(class [^)]*\\)", "").replaceAll("`[a-z.]+\\.([A-Za-z$]+)`", "$1"));
        } catch (JsonProcessingException e) {
            throw usage(syntaxError(name, e));
        }
        if (config == null) {
            throw usage(name + ": empty");
        }
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw usage(name + ": " + String.join("; ", problems));
        }
        return config;
    }

    /** Replaces ${NAME} outside comments, line by line, so an example in a comment needs no variable. */
    private static String substitute(String name, String text, Function<String, String> env) {
        StringBuilder out = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int comment = commentStart(line);
            String code = comment < 0 ? line : line.substring(0, comment);
            Matcher m = ENV.matcher(code);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String value = env.apply(m.group(1));
                if (value == null) {
                    throw usage(name + ":" + (i + 1) + ": ${" + m.group(1) + "} is not set in the environment");
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(value));
            }
            m.appendTail(sb);
            out.append(sb);
            if (comment >= 0) {
                out.append(line, comment, line.length());
            }
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** Where a YAML comment starts: a # at the start or after a blank, outside quotes; -1 when none. */
    static int commentStart(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** SnakeYAML's own line (1-based) and problem, without the echo of the offending text. */
    private static String syntaxError(String name, JsonProcessingException e) {
        String message = oneLine(e.getOriginalMessage());
        Matcher line = Pattern.compile("line (\\d+), column (\\d+)").matcher(message);
        String where = line.find() ? ":" + line.group(1) : where(e.getLocation());
        int echo = message.indexOf(" in 'reader'");
        String problem = (echo > 0 ? message.substring(0, echo) : message).replaceAll("[;\\s]+$", "");
        return name + where + ": not valid YAML: " + problem;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\n\\s*", "; ");
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : ":" + location.getLineNr();
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(snake(r.getFieldName()));
            }
        }
        return sb.length() == 0 ? "(top)" : sb.toString();
    }

    private static String snake(String s) {
        return PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(s);
    }

    private static UserFacingException usage(String message) {
        return new UserFacingException(message, ExitCodes.USAGE, null);
    }
}
