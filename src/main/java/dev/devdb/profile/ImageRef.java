package dev.devdb.profile;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.util.regex.Pattern;

/** Turns a profile into the image reference to run, honouring a registry mirror prefix. */
public final class ImageRef {
    /** A registry host (with an optional port) and optional path, as image references spell them. */
    private static final Pattern REGISTRY = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?"
                    + "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    private ImageRef() {}

    /**
     * The image reference for a profile.
     *
     * @param profile the resolved profile
     * @param registry the value of DEVDB_REGISTRY, or null/blank for none
     */
    public static String of(Profile profile, String registry) {
        String repository = profile.image() != null ? profile.image() : profile.flavor().defaultRepository();
        return withRegistry(repository + ":" + profile.version(), registry);
    }

    /**
     * Prefixes a reference with a registry unless it already names a registry host (a first
     * path component with a '.' or ':', or {@code localhost}).
     */
    public static String withRegistry(String reference, String registry) {
        if (registry == null || registry.isBlank()) {
            return reference;
        }
        int slash = reference.indexOf('/');
        if (slash > 0) {
            String first = reference.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return reference;
            }
        }
        String prefix = registry.trim();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!REGISTRY.matcher(prefix).matches()) {
            throw new DevDbException(ExitCodes.USAGE, "DEVDB_REGISTRY '" + registry + "' is not a registry: use"
                    + " HOST[:PORT][/PATH], e.g. mirror.example.com/hub");
        }
        return prefix + "/" + reference;
    }
}
