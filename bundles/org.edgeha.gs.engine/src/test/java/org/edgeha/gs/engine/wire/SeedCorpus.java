package org.edgeha.gs.engine.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeMap;

import org.edgeha.gs.engine.link.LinkSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the valid seeds of this module's fuzz tests with the real encoders, into the committed regression corpus
 * ({@code src/test/resources/.../<Test>Inputs/<method>/seed-*}). Runs only when asked:
 * {@code mvn test -pl bundles/org.edgeha.gs.engine -am -Dtest=SeedCorpus -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfuzz.writeSeeds=true}.
 */
@EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
public class SeedCorpus {

    static final Path RESOURCES = Path.of("src/test/resources");

    @Test
    void write() throws IOException {
        // one message of every tag; the trailing 0 byte selects the raw-decode check of MsgCodecFuzzTest
        Random random = new Random(8);
        TreeMap<Integer, byte[]> byTag = new TreeMap<>();
        while (byTag.size() < 19) {
            byte[] m = MsgCodec.encode(new MsgGen(MsgGen.Src.of(random)).msg());
            byTag.putIfAbsent(m[1] & 0xff, m);
        }
        Path dir = inputs(MsgCodecFuzzTest.class, "decode");
        for (var e : byTag.entrySet()) {
            write(dir, "seed-tag" + e.getKey(), ByteBuffer.allocate(e.getValue().length + 1).put(e.getValue()).array());
        }
        LinkSeeds.write();
    }

    /** @return the regression corpus folder of a fuzz test, created */
    public static Path inputs(Class<?> test, String method) throws IOException {
        return Files.createDirectories(RESOURCES.resolve(test.getPackageName().replace('.', '/'))
                .resolve(test.getSimpleName() + "Inputs").resolve(method));
    }

    public static void write(Path dir, String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes);
    }
}
