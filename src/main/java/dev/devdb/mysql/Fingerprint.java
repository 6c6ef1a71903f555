package dev.devdb.mysql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shape of a statement with its data taken out, so that executions of "the same query" with
 * different values group together: literals (strings, numbers, hex and bit values, signed
 * numbers) become {@code ?}, IN-lists become {@code in(?+)}, the row lists of INSERT ... VALUES
 * become {@code values(?+)}, comments go, words are lower-cased, and spacing is canonical
 * ({@code a=1} and {@code a = 1} give the same fingerprint).
 */
public final class Fingerprint {
    /** Words after which a sign in front of a number is unary ({@code where a = -1}, {@code limit -1}). */
    private static final Set<String> UNARY_AFTER = Set.of("select", "where", "and", "or", "not", "xor", "in", "values",
            "value", "set", "by", "then", "else", "when", "between", "like", "limit", "offset", "having", "on", "is",
            "return", "interval", "case", "if", "div", "mod", "regexp", "rlike", "escape", "distinct", "all", "any",
            "some", "default", "row", "using");
    /** Words that keep a space before an opening parenthesis; after any other word it is a call or a list. */
    private static final Set<String> SPACE_BEFORE_PAREN = Set.of("and", "or", "not", "xor", "where", "on", "from",
            "join", "select", "set", "having", "when", "then", "else", "union", "all", "exists", "as", "by", "with",
            "using", "distinct", "case", "between", "like", "is", "return", "any", "some", "lateral", "straight_join",
            "update", "table", "into", "except", "intersect", "recursive");
    private static final Pattern NUMBER = Pattern.compile(
            "(0x[0-9a-fA-F]+|0b[01]+|\\d+(\\.\\d*)?([eE][-+]?\\d+)?)");
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z0-9_$]*[a-z_$][a-z0-9_$]*");
    private static final String[] OPERATORS = {"<=>", "->>", "<=", ">=", "<>", "!=", ":=", "->", "<<", ">>", "||",
        "&&", "=", "<", ">", "+", "-", "*", "/", "%", "!", "~", "^", "&", "|", ":"};

    private enum Kind { WORD, QUOTED, LITERAL, STRING, PUNCT, OP }

    private record Token(Kind kind, String text) {
        boolean is(String s) {
            return text.equals(s) && kind != Kind.QUOTED;
        }
    }

    private Fingerprint() {}

    /** The fingerprint of one statement. */
    public static String of(String sql) {
        String trimmed = sql.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("administrator command:") || lower.startsWith("# administrator command:")) {
            String s = lower.startsWith("#") ? lower.substring(1).strip() : lower;
            return stripSemicolons(s.replaceAll("\\s+", " "));
        }
        List<Token> tokens = collapseLists(literals(tokenize(trimmed)));
        while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).is(";")) {
            tokens.remove(tokens.size() - 1);
        }
        return render(tokens);
    }

    /** A short stable id of a fingerprint: 16 upper-case hex digits. */
    public static String id(String fingerprint) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(fingerprint.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(md5, 8, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stripSemicolons(String s) {
        String r = s.strip();
        while (r.endsWith(";")) {
            r = r.substring(0, r.length() - 1).strip();
        }
        return r;
    }

    private static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '#' || (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-'
                    && (i + 2 == n || Character.isWhitespace(sql.charAt(i + 2)) || Character.isISOControl(sql.charAt(i + 2))))) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '\'' || c == '"') {
                i = skipQuoted(sql, i, c);
                tokens.add(new Token(Kind.STRING, "?"));
            } else if (c == '`') {
                int start = i + 1;
                StringBuilder id = new StringBuilder();
                i = start;
                while (i < n) {
                    char d = sql.charAt(i);
                    if (d == '`') {
                        if (i + 1 < n && sql.charAt(i + 1) == '`') {
                            id.append('`');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    id.append(d);
                    i++;
                }
                tokens.add(new Token(Kind.QUOTED, id.toString()));
            } else if ((c == 'x' || c == 'X' || c == 'b' || c == 'B' || c == 'n' || c == 'N') && i + 1 < n
                    && sql.charAt(i + 1) == '\'') {
                i = skipQuoted(sql, i + 1, '\'');
                tokens.add(new Token(Kind.STRING, "?"));
            } else if (c == '@') {
                int start = i;
                i++;
                if (i < n && sql.charAt(i) == '@') {
                    i++;
                }
                if (i < n && (sql.charAt(i) == '\'' || sql.charAt(i) == '"' || sql.charAt(i) == '`')) {
                    char q = sql.charAt(i);
                    int end = skipQuoted(sql, i, q);
                    tokens.add(new Token(Kind.WORD, sql.substring(start, end).toLowerCase(Locale.ROOT)));
                    i = end;
                } else {
                    while (i < n && (isWordChar(sql.charAt(i)) || sql.charAt(i) == '.')) {
                        i++;
                    }
                    tokens.add(new Token(Kind.WORD, sql.substring(start, i).toLowerCase(Locale.ROOT)));
                }
            } else if (isWordChar(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))
                    && !afterName(tokens))) {
                int start = i;
                if (Character.isDigit(c) || c == '.') {
                    // a number, possibly with a fraction and an exponent, unless letters follow (1abc is a name)
                    int j = i;
                    while (j < n && (isWordChar(sql.charAt(j)) || sql.charAt(j) == '.'
                            || ((sql.charAt(j) == '+' || sql.charAt(j) == '-') && j > i
                                    && (sql.charAt(j - 1) == 'e' || sql.charAt(j - 1) == 'E')
                                    && Character.isDigit(sql.charAt(i))))) {
                        j++;
                    }
                    String text = sql.substring(start, j);
                    String numeric = text.startsWith(".") ? "0" + text : text;
                    if (NUMBER.matcher(numeric).matches()) {
                        tokens.add(new Token(Kind.LITERAL, "?"));
                        i = j;
                        continue;
                    }
                }
                while (i < n && isWordChar(sql.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, sql.substring(start, i).toLowerCase(Locale.ROOT)));
            } else if (c == '?') {
                tokens.add(new Token(Kind.LITERAL, "?"));
                i++;
            } else if (c == '(' || c == ')' || c == ',' || c == ';' || c == '.' || c == '{' || c == '}') {
                tokens.add(new Token(Kind.PUNCT, String.valueOf(c)));
                i++;
            } else {
                String op = null;
                for (String o : OPERATORS) {
                    if (sql.startsWith(o, i)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) {
                    op = String.valueOf(c);
                }
                tokens.add(new Token(Kind.OP, op));
                i += op.length();
            }
        }
        return tokens;
    }

    private static boolean afterName(List<Token> tokens) {
        if (tokens.isEmpty()) {
            return false;
        }
        Token last = tokens.get(tokens.size() - 1);
        return last.kind() == Kind.QUOTED || (last.kind() == Kind.WORD && !UNARY_AFTER.contains(last.text()));
    }

    private static int skipQuoted(String sql, int open, char quote) {
        int i = open + 1;
        int n = sql.length();
        while (i < n) {
            char d = sql.charAt(i);
            if (d == '\\' && quote != '`') {
                i += 2;
            } else if (d == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
    }

    /** Drops charset introducers before strings and folds signs into the numbers they belong to. */
    private static List<Token> literals(List<Token> in) {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Token t = in.get(i);
            if (t.kind() == Kind.WORD && t.text().startsWith("_") && i + 1 < in.size()
                    && in.get(i + 1).kind() == Kind.STRING) {
                continue;
            }
            if (t.kind() == Kind.OP && (t.text().equals("-") || t.text().equals("+")) && i + 1 < in.size()
                    && in.get(i + 1).kind() == Kind.LITERAL && unaryPosition(out)) {
                continue;
            }
            out.add(t.kind() == Kind.STRING ? new Token(Kind.LITERAL, "?") : t);
        }
        return out;
    }

    private static boolean unaryPosition(List<Token> before) {
        if (before.isEmpty()) {
            return true;
        }
        Token last = before.get(before.size() - 1);
        return switch (last.kind()) {
            case OP -> true;
            case PUNCT -> !last.text().equals(")") && !last.text().equals("}");
            case WORD -> UNARY_AFTER.contains(last.text());
            default -> false;
        };
    }

    /** {@code in (?, ?, ?)} to {@code in(?+)}; {@code values (..), (..)} to {@code values(?+)}. */
    private static List<Token> collapseLists(List<Token> in) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < in.size()) {
            Token t = in.get(i);
            if (t.kind() == Kind.WORD && t.text().equals("in") && i + 1 < in.size() && in.get(i + 1).is("(")) {
                int close = matching(in, i + 1);
                if (close > 0 && onlyValues(in, i + 2, close)) {
                    out.add(t);
                    addCollapsed(out);
                    i = close + 1;
                    continue;
                }
            }
            if (t.kind() == Kind.WORD && (t.text().equals("values") || t.text().equals("value"))
                    && rowListPosition(out) && i + 1 < in.size()) {
                int j = i + 1;
                boolean row = in.get(j).kind() == Kind.WORD && in.get(j).text().equals("row");
                int first = row ? j + 1 : j;
                if (first < in.size() && in.get(first).is("(")) {
                    int end = matching(in, first);
                    while (end > 0 && end + 1 < in.size() && in.get(end + 1).is(",")) {
                        int next = end + 2;
                        if (row && next < in.size() && in.get(next).kind() == Kind.WORD
                                && in.get(next).text().equals("row")) {
                            next++;
                        }
                        if (next < in.size() && in.get(next).is("(")) {
                            end = matching(in, next);
                        } else {
                            break;
                        }
                    }
                    if (end > 0) {
                        out.add(t);
                        if (row) {
                            out.add(in.get(j));
                        }
                        addCollapsed(out);
                        i = end + 1;
                        continue;
                    }
                }
            }
            out.add(t);
            i++;
        }
        return out;
    }

    private static void addCollapsed(List<Token> out) {
        out.add(new Token(Kind.PUNCT, "("));
        out.add(new Token(Kind.LITERAL, "?+"));
        out.add(new Token(Kind.PUNCT, ")"));
    }

    /** VALUES lists a table's rows after a name, a column list or at the start; VALUES(c) after = is a function. */
    private static boolean rowListPosition(List<Token> before) {
        if (before.isEmpty()) {
            return true;
        }
        Token last = before.get(before.size() - 1);
        return last.is(")") || last.kind() == Kind.QUOTED
                || (last.kind() == Kind.WORD && !UNARY_AFTER.contains(last.text())) || last.is("(");
    }

    private static int matching(List<Token> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(")) {
                depth++;
            } else if (t.is(")")) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean onlyValues(List<Token> tokens, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            boolean value = t.kind() == Kind.LITERAL || t.is(",") || t.is("(") || t.is(")")
                    || (t.kind() == Kind.WORD && (t.text().equals("null") || t.text().equals("true")
                            || t.text().equals("false")));
            if (!value) {
                return false;
            }
        }
        return true;
    }

    private static String render(List<Token> tokens) {
        StringBuilder s = new StringBuilder();
        Token prev = null;
        for (Token t : tokens) {
            String text = t.kind() == Kind.QUOTED ? quoted(t.text()) : t.text();
            if (prev != null && space(prev, t)) {
                s.append(' ');
            }
            s.append(text);
            prev = t;
        }
        return s.toString();
    }

    private static String quoted(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return PLAIN_IDENTIFIER.matcher(lower).matches() ? lower : "`" + lower.replace("`", "``") + "`";
    }

    private static boolean space(Token prev, Token t) {
        if (prev.is("(") || prev.is(".") || prev.is("{")) {
            return false;
        }
        if (t.is(")") || t.is(",") || t.is(".") || t.is(";") || t.is("}")) {
            return false;
        }
        if (t.is("(")) {
            return !(prev.kind() == Kind.QUOTED || (prev.kind() == Kind.WORD && !SPACE_BEFORE_PAREN.contains(prev.text())));
        }
        return true;
    }
}
