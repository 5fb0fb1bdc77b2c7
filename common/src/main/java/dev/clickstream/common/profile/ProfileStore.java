package dev.clickstream.common.profile;

import dev.clickstream.common.error.UserFacingException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Reads and writes the connection profile as JSON with snake_case keys (the shape of the demo's Terraform
 * outputs). The file holds passwords, so it is written with mode 0600 and replaced atomically.
 */
public final class ProfileStore {
    public static final String FILE_NAME = "profile.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ProfileStore() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Loads and validates a profile; a missing file says which command writes one. */
    public static ConnectionProfile load(Path file) {
        ConnectionProfile profile;
        try {
            profile = MAPPER.readValue(file.toFile(), ConnectionProfile.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new UserFacingException("no connection profile at " + file
                    + ": start a local stack with `./clickstream up` (or pass -broker/--bootstrap-server)");
        } catch (AccessDeniedException e) {
            throw new UserFacingException("cannot read the connection profile " + file + ": permission denied");
        } catch (IOException e) {
            throw new UserFacingException("connection profile " + file + " is not valid JSON: " + firstLine(e.getMessage()));
        }
        List<String> problems = profile.problems();
        if (!problems.isEmpty()) {
            throw new UserFacingException("connection profile " + file + ": " + String.join("; ", problems));
        }
        return profile;
    }

    public static void save(ConnectionProfile profile, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".profile", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            MAPPER.writeValue(tmp.toFile(), profile);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserFacingException("cannot write the connection profile " + file + ": " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
