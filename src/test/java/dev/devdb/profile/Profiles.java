package dev.devdb.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.devdb.error.ExitCodes;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Profiles from YAML text, without files, and the checks every profile error must pass. */
final class Profiles {
    /** How the documents parsed here are named in errors. */
    static final String SOURCE = "t.yaml";

    private Profiles() {}

    static ProfileDocument parse(String yaml) {
        return ProfileParser.parse(new StringReader(yaml), SOURCE);
    }

    /** Parses and validates one document as the profile {@code t} read from {@code t.yaml}. */
    static Profile profile(String yaml) {
        return ProfileCatalog.validate(new ProfileCatalog.Entry("t", Origin.FILE, SOURCE), parse(yaml), List.of());
    }

    /** Asserts that {@code action} fails with a profile error (exit code 3, one line); returns its message. */
    static String profileError(Executable action) {
        ProfileException e = assertThrows(ProfileException.class, action);
        String message = e.getMessage();
        assertEquals(ExitCodes.PROFILE, e.exitCode(), message);
        assertFalse(message.contains("\n") || message.contains("\r"), () -> "not one line: " + message);
        return message;
    }

    /** The prefix validation errors of {@link #profile} carry. */
    static String where() {
        return "profile 't' (" + SOURCE + "): ";
    }
}
