package dev.devdb.mysql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** MySQL wire-protocol packets as a server sends them first on a new connection. */
public final class Packets {
    private Packets() {}

    /** The payload of a protocol-10 handshake (Initial Handshake Packet) announcing {@code version}. */
    public static byte[] handshakeV10(String version) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(10);
        p.writeBytes(version.getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        p.writeBytes(new byte[] {42, 0, 0, 0}); // connection id
        p.writeBytes("abcdefgh".getBytes(StandardCharsets.US_ASCII)); // auth-plugin-data part 1
        p.write(0); // filler
        p.writeBytes(new byte[] {(byte) 0xff, (byte) 0xf7}); // capability flags, lower
        p.write(255); // character set
        p.writeBytes(new byte[] {2, 0}); // status flags
        p.writeBytes(new byte[] {(byte) 0xff, (byte) 0xdf}); // capability flags, upper
        p.write(21); // auth-plugin-data length
        p.writeBytes(new byte[10]); // reserved
        p.writeBytes("ijklmnopqrst".getBytes(StandardCharsets.US_ASCII)); // auth-plugin-data part 2
        p.write(0);
        p.writeBytes("caching_sha2_password".getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        return p.toByteArray();
    }

    /** The payload of an ERR packet; {@code sqlState} null leaves out the '#' marker, as a server does before the handshake. */
    public static byte[] error(int code, String sqlState, String message) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0xff);
        p.write(code & 0xff);
        p.write((code >> 8) & 0xff);
        if (sqlState != null) {
            p.write('#');
            p.writeBytes(sqlState.getBytes(StandardCharsets.US_ASCII));
        }
        p.writeBytes(message.getBytes(StandardCharsets.UTF_8));
        return p.toByteArray();
    }

    /** A payload framed as it travels: 3-byte little-endian length, sequence id, payload. */
    public static byte[] frame(int sequence, byte[] payload) {
        byte[] packet = new byte[payload.length + 4];
        packet[0] = (byte) payload.length;
        packet[1] = (byte) (payload.length >> 8);
        packet[2] = (byte) (payload.length >> 16);
        packet[3] = (byte) sequence;
        System.arraycopy(payload, 0, packet, 4, payload.length);
        return packet;
    }
}
