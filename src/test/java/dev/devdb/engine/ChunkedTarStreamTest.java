package dev.devdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class ChunkedTarStreamTest {

    private static Map<String, byte[]> untar(InputStream tar, List<String> directories) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    directories.add(e.getName());
                } else {
                    files.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return files;
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(42).nextBytes(b);
        return b;
    }

    @Test
    void input_is_cut_into_numbered_chunks_that_add_up_to_it() throws IOException {
        byte[] input = random(2500);
        ChunkedTarStream tar = new ChunkedTarStream(new ByteArrayInputStream(input), "in", 1000);
        List<String> dirs = new ArrayList<>();

        Map<String, byte[]> files = untar(tar, dirs);

        assertEquals(List.of("in/"), dirs);
        assertEquals(List.of("in/00000000", "in/00000001", "in/00000002"), List.copyOf(files.keySet()));
        assertEquals(List.of(1000, 1000, 500), files.values().stream().map(b -> b.length).toList());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        files.values().forEach(joined::writeBytes);
        assertArrayEquals(input, joined.toByteArray());
        assertEquals(2500, tar.sourceBytes());
    }

    @Test
    void an_exact_multiple_of_the_chunk_has_no_empty_tail() throws IOException {
        ChunkedTarStream tar = new ChunkedTarStream(new ByteArrayInputStream(random(2048)), "in", 1024);

        Map<String, byte[]> files = untar(tar, new ArrayList<>());

        assertEquals(List.of("in/00000000", "in/00000001"), List.copyOf(files.keySet()));
    }

    @Test
    void empty_input_still_gives_one_empty_file() throws IOException {
        ChunkedTarStream tar = new ChunkedTarStream(InputStream.nullInputStream(), "in", 1024);

        Map<String, byte[]> files = untar(tar, new ArrayList<>());

        assertEquals(List.of("in/00000000"), List.copyOf(files.keySet()));
        assertEquals(0, files.get("in/00000000").length);
    }

    @Test
    void the_archive_is_whole_blocks_and_reads_the_same_byte_by_byte() throws IOException {
        byte[] input = random(700);
        byte[] bulk = new ChunkedTarStream(new ByteArrayInputStream(input), "in", 512).readAllBytes();
        ChunkedTarStream single = new ChunkedTarStream(new ByteArrayInputStream(input), "in", 512);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = single.read()) >= 0) {
            bytes.write(b);
        }

        // directory header, 2 x (header + one data block), two zero blocks at the end
        assertEquals(512 * (1 + 2 + 2 + 2), bulk.length);
        assertTrue(bulk.length % 512 == 0);
        // modification times are taken per stream: compare everything but the headers' mtime and checksum
        assertEquals(bulk.length, bytes.size());
        assertArrayEquals(java.util.Arrays.copyOfRange(bulk, 1024, 1536),
                java.util.Arrays.copyOfRange(bytes.toByteArray(), 1024, 1536));
    }

    @Test
    void only_one_chunk_is_read_ahead_of_the_reader() throws IOException {
        int[] consumed = new int[1];
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                consumed[0]++;
                return 'x';
            }
        };
        ChunkedTarStream tar = new ChunkedTarStream(endless, "in", 4096);
        byte[] buffer = new byte[512];

        tar.read(buffer); // the directory entry
        tar.read(buffer); // the first file's header: its chunk has been read

        assertEquals(4096, consumed[0]);
    }
}
