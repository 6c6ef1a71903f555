package dev.devdb.error;

/**
 * Makes text safe to print on a terminal: every control character (C0, DEL and C1) becomes a
 * visible escape, so nothing quoted from input can move the cursor, change colours or set a
 * window title. {@code \n}, {@code \r}, {@code \t} and {@code \0} keep their usual spelling;
 * the others are written {@code \x1b} (C0, DEL), or as a {@code u} escape with four hex digits (C1).
 */
public final class ControlCharacters {
    private ControlCharacters() {}

    /** Whether a character is a control character: C0, DEL or C1. */
    public static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    /** The text with every control character escaped; null stays null. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                if (b == null) {
                    b = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                appendEscaped(b, c);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }

    /** Appends the visible form of a control character. */
    public static void appendEscaped(StringBuilder b, char c) {
        switch (c) {
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            case '\0' -> b.append("\\0");
            default -> b.append(c < 0x80 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
        }
    }
}
