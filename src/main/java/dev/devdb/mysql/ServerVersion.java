package dev.devdb.mysql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server version as far as an image tag tells it. A tag names a release line more often than a
 * release: {@code 8.0} is the newest 8.0.x, {@code 8} the newest 8.x, {@code latest} the newest of
 * all. Missing parts therefore count as the highest, so that options a line gained within its life
 * are used with the tags that run them today.
 *
 * @param major major version
 * @param minor minor version
 * @param patch patch version
 */
public record ServerVersion(int major, int minor, int patch) implements Comparable<ServerVersion> {
    private static final Pattern NUMBERS = Pattern.compile("^v?(\\d{1,4})(?:\\.(\\d{1,4}))?(?:\\.(\\d{1,4}))?");
    private static final int NEWEST = 9999;

    /** The version an image tag runs; tags without a leading number ({@code latest}, {@code lts}) are the newest. */
    public static ServerVersion ofTag(String tag) {
        Matcher m = NUMBERS.matcher(tag == null ? "" : tag.trim());
        if (!m.find()) {
            return new ServerVersion(NEWEST, NEWEST, NEWEST);
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? NEWEST : Integer.parseInt(m.group(2));
        int patch = m.group(3) == null ? NEWEST : Integer.parseInt(m.group(3));
        return new ServerVersion(major, minor, patch);
    }

    /**
     * Whether a tag names a version at all ({@code 8.4}, {@code 11.8.2-noble}) rather than a moving
     * target ({@code latest}, {@code lts}) or a team's own name.
     */
    public static boolean numbered(String tag) {
        return tag != null && NUMBERS.matcher(tag.trim()).find();
    }

    /** True when this version is {@code major.minor.patch} or newer. */
    public boolean atLeast(int major, int minor, int patch) {
        return compareTo(new ServerVersion(major, minor, patch)) >= 0;
    }

    public boolean atLeast(int major, int minor) {
        return atLeast(major, minor, 0);
    }

    @Override
    public int compareTo(ServerVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }
}
