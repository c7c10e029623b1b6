package org.edgeha.mqtt.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.edgeha.mqtt.api.OutboundMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the valid seeds of this module's fuzz tests with the real encoders into the committed regression corpus.
 * Runs only when asked ({@code -Dtest=SeedCorpus -Dfuzz.writeSeeds=true}).
 */
@EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
class SeedCorpus {

    @Test
    void write() throws IOException {
        // a trailing 0 selects the decode (not the round-trip) check
        Path codec = inputs(MessageCodecFuzzTest.class, "decode");
        write(codec, "seed-plain", MessageCodec.encode(OutboundMessage.of("plant/line1/temp", "21.5".getBytes())));
        write(codec, "seed-properties", MessageCodec.encode(new OutboundMessage("a/b", new byte[] {0, 1, 2}, 2, true,
                Map.of("unit", "C", "src", "plc-7"))));
        write(codec, "seed-request", MessageCodec.encode(new OutboundMessage("edgeha/d/manage/all/request", new byte[4], 1,
                false, Map.of(), Optional.of("ops/replies"), Optional.of(new byte[] {9, 8, 7}))));
        Path presence = inputs(PresenceFuzzTest.class, "parse");
        write(presence, "seed-online", Presence.format(3, 1_733_000_000_000L, "online"));
        write(presence, "seed-offline", Presence.format(12, 1_733_000_000_999L, "offline"));
    }

    private static void write(Path dir, String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), ByteBuffer.allocate(bytes.length + 1).put(bytes).array());
    }

    static Path inputs(Class<?> test, String method) throws IOException {
        return Files.createDirectories(Path.of("src/test/resources").resolve(test.getPackageName().replace('.', '/'))
                .resolve(test.getSimpleName() + "Inputs").resolve(method));
    }
}
