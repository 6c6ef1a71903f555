package dev.devdb.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Turns chunks of bytes, cut anywhere, into UTF-8 lines without their line breaks. */
final class LineSplitter {
    private final Consumer<String> lines;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private long bytes;

    LineSplitter(Consumer<String> lines) {
        this.lines = lines;
    }

    synchronized void accept(byte[] chunk) {
        bytes += chunk.length;
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                partial.write(chunk, start, i - start);
                emit();
                start = i + 1;
            }
        }
        partial.write(chunk, start, chunk.length - start);
    }

    /** Hands on a last line that had no line break. */
    synchronized void finish() {
        if (partial.size() > 0) {
            emit();
        }
    }

    /** Bytes seen so far. */
    synchronized long bytes() {
        return bytes;
    }

    private void emit() {
        String line = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        lines.accept(line);
    }
}
