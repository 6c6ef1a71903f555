package dev.devdb.profile;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;

/** A profile that cannot be found, read or accepted. */
public class ProfileException extends DevDbException {
    private static final long serialVersionUID = 1L;

    public ProfileException(String message) {
        super(ExitCodes.PROFILE, message);
    }
}
