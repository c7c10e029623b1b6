package org.edgeha.recovery.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaException;

/**
 * Streams over a byte-channel connection whose every read and write runs through
 * {@link HaConnections#invoke}, so that plain stream code gets transparent recovery (as libc I/O does
 * over libha's message primitives). Closing a stream does not close the connection.
 */
final class ChannelStreams {

    private ChannelStreams() {
    }

    static final class In extends InputStream {
        private final HaConnections connections;
        private final int coid;

        In(HaConnections connections, int coid) {
            this.connections = connections;
            this.coid = coid;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            try {
                return connections.invoke(coid, ByteChannel.class, ch -> ch.read(ByteBuffer.wrap(b, off, len)));
            } catch (HaException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    static final class Out extends OutputStream {
        private final HaConnections connections;
        private final int coid;

        Out(HaConnections connections, int coid) {
            this.connections = connections;
            this.coid = coid;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                // One operation writes everything: a retry after recovery re-sends the whole buffer.
                connections.invoke(coid, ByteChannel.class, ch -> {
                    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                    while (buffer.hasRemaining()) {
                        ch.write(buffer);
                    }
                    return null;
                });
            } catch (HaException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
