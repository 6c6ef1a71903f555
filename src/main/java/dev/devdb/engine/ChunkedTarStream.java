package dev.devdb.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * A tar archive, produced as it is read, of one directory holding a source stream of unknown
 * length cut into files {@code 00000000}, {@code 00000001}, ... of at most one chunk each. Tar
 * needs each file's size before its bytes, so a chunk is read fully before its header goes out;
 * only that one chunk is ever held in memory. There is always at least one file, empty when the
 * source is.
 */
final class ChunkedTarStream extends InputStream {
    private static final int BLOCK = 512;
    private static final byte[] ZEROS = new byte[2 * BLOCK];

    private record Segment(byte[] bytes, int length) {}

    private final InputStream source;
    private final String directory;
    private final byte[] chunk;
    private final ArrayDeque<Segment> queue = new ArrayDeque<>();
    private final Date modified = new Date();
    private Segment current;
    private int position;
    private int files;
    private boolean sourceDone;
    private boolean finished;
    private long sourceBytes;

    /**
     * @param source the bytes to archive
     * @param directory the directory's name inside the archive (no slashes)
     * @param chunkBytes the largest file, and the memory used
     */
    ChunkedTarStream(InputStream source, String directory, int chunkBytes) {
        this.source = source;
        this.directory = directory;
        this.chunk = new byte[chunkBytes];
        TarArchiveEntry dir = new TarArchiveEntry(directory + "/");
        dir.setMode(040700);
        dir.setModTime(modified);
        queue.add(header(dir));
    }

    /** How many bytes of the source have gone into the archive so far. */
    long sourceBytes() {
        return sourceBytes;
    }

    static String fileName(int index) {
        return String.format("%08d", index);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || position == current.length()) {
            if (queue.isEmpty() && !produce()) {
                return -1;
            }
            current = queue.poll();
            position = 0;
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.bytes(), position, b, off, n);
        position += n;
        return n;
    }

    /** Queues the next file (header, bytes, padding) or the archive's end; false when all is out. */
    private boolean produce() throws IOException {
        if (finished) {
            return false;
        }
        if (sourceDone) {
            queue.add(new Segment(ZEROS, ZEROS.length));
            finished = true;
            return true;
        }
        int n = source.readNBytes(chunk, 0, chunk.length);
        if (n < chunk.length) {
            sourceDone = true;
        }
        if (n == 0 && files > 0) {
            return produce();
        }
        TarArchiveEntry file = new TarArchiveEntry(directory + "/" + fileName(files++));
        file.setSize(n);
        file.setMode(0100600);
        file.setModTime(modified);
        queue.add(header(file));
        queue.add(new Segment(chunk, n));
        int padding = (BLOCK - n % BLOCK) % BLOCK;
        if (padding > 0) {
            queue.add(new Segment(ZEROS, padding));
        }
        sourceBytes += n;
        return true;
    }

    private static Segment header(TarArchiveEntry entry) {
        byte[] h = new byte[BLOCK];
        entry.writeEntryHeader(h);
        return new Segment(h, BLOCK);
    }
}
