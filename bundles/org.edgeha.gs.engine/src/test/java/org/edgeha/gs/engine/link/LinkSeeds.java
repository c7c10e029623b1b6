package org.edgeha.gs.engine.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.edgeha.gs.engine.wire.SeedCorpus;
import org.edgeha.gs.spi.NodeId;

/** The valid seeds of {@link EnvelopeFuzzTest}: one frame of each kind, by {@link Envelope#encode}. */
public final class LinkSeeds {

    private LinkSeeds() {
    }

    public static void write() throws IOException {
        NodeId a = new NodeId(1, 1_733_000_000_000L);
        NodeId b = new NodeId(2, 1_733_000_000_123L);
        Path dir = SeedCorpus.inputs(EnvelopeFuzzTest.class, "decode");
        SeedCorpus.write(dir, "seed-data", new Envelope(Envelope.DATA, a, b, 7, 3,
                "payload".getBytes(StandardCharsets.UTF_8)).encode());
        SeedCorpus.write(dir, "seed-ack", new Envelope(Envelope.ACK, b, a, 0, 7, null).encode());
        SeedCorpus.write(dir, "seed-nack", new Envelope(Envelope.NACK, b, a, 5, 0, null).encode());
        SeedCorpus.write(dir, "seed-hello", new Envelope(Envelope.HELLO, a, b, 9, 4, null).encode());
    }
}
