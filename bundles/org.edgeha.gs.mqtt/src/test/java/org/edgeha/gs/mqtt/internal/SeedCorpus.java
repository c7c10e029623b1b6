package org.edgeha.gs.mqtt.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        Path dir = inputs(SealedEnvelopeFuzzTest.class, "open");
        Envelope envelope = new Envelope(SealedEnvelopeFuzzTest.KEY);
        String[] payloads = {"", "x", "a Group Services message"};
        for (int i = 0; i < payloads.length; i++) {
            byte[] frame = envelope.seal(SealedEnvelopeFuzzTest.TOPIC, 1 + i, 1_733_000_000_000L + i, 1 + 10L * i,
                    payloads[i].getBytes(StandardCharsets.UTF_8));
            // a trailing 0: the raw-frame check
            Files.write(dir.resolve("seed-frame" + i), ByteBuffer.allocate(frame.length + 1).put(frame).array());
        }
    }

    static Path inputs(Class<?> test, String method) throws IOException {
        return Files.createDirectories(Path.of("src/test/resources").resolve(test.getPackageName().replace('.', '/'))
                .resolve(test.getSimpleName() + "Inputs").resolve(method));
    }
}
