package dev.devdb.profile;

/** Turns a profile into the image reference to run, honouring a registry mirror prefix. */
public final class ImageRef {
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
        return prefix + "/" + reference;
    }
}
