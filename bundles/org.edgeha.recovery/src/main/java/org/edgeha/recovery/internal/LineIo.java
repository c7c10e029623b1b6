package org.edgeha.recovery.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** Line-oriented request/response on a socket channel, for {@code ha:send}. */
final class LineIo {

    private LineIo() {
    }

    /** Writes the text and a newline. */
    static void writeLine(SocketChannel channel, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /**
     * Reads up to a newline. A reply is due, so the end of the stream before the newline means the
     * connection broke: {@link EOFException}, which the {@code tcp} kind classifies as lost.
     */
    static String readLine(SocketChannel channel, int maxBytes) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (line.size() < maxBytes) {
            one.clear();
            if (channel.read(one) < 0) {
                throw new EOFException("connection closed before the reply");
            }
            byte b = one.get(0);
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8).stripTrailing();
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8) + " [reply cut at " + maxBytes + " bytes]";
    }
}
