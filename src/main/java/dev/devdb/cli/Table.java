package dev.devdb.cli;

import dev.devdb.error.ControlCharacters;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows for humans and scripts: aligned columns with a header on a terminal, tab-separated
 * rows without a header (never truncated) when piped. A tab or line break inside a cell becomes
 * a space, so every row stays one line with one column per cell.
 */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final java.util.Set<Integer> right = new java.util.HashSet<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    /** Aligns these columns (0-based) to the right on a terminal: numbers. */
    Table alignRight(int... columns) {
        for (int c : columns) {
            right.add(c);
        }
        return this;
    }

    Table row(String... cells) {
        List<String> row = new ArrayList<>();
        for (String c : cells) {
            row.add(c == null ? "" : ControlCharacters.escape(c.replaceAll("\\R|\t", " ")));
        }
        rows.add(row);
        return this;
    }

    void print(PrintWriter out, boolean terminal, boolean color) {
        if (!terminal) {
            for (List<String> row : rows) {
                out.println(String.join("\t", row));
            }
            out.flush();
            return;
        }
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        String h = line(header, widths);
        out.println(color ? "\u001b[1m" + h + "\u001b[0m" : h);
        for (List<String> row : rows) {
            out.println(line(row, widths));
        }
        out.flush();
    }

    private String line(List<String> cells, int[] widths) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                s.append("  ");
            }
            String pad = " ".repeat(widths[i] - cells.get(i).length());
            if (right.contains(i)) {
                s.append(pad).append(cells.get(i));
                continue;
            }
            s.append(cells.get(i));
            if (i < cells.size() - 1) {
                s.append(" ".repeat(widths[i] - cells.get(i).length()));
            }
        }
        return s.toString();
    }
}
