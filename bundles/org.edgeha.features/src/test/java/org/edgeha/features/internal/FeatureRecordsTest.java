package org.edgeha.features.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Damaged records in {@code data/features/}: each is reported by name and left out; the others come back. */
public class FeatureRecordsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aDamagedRecordIsReportedByNameAndDoesNotKeepTheOthersFromComingBack() throws Exception {
        Path folder = tmp.getRoot().toPath().resolve("features");
        FeatureRecords records = new FeatureRecords(folder);
        records.save("org.edgeha:one", "{\"id\":\"org.edgeha:one:1.0.0\"}", "file one");
        records.save("org.edgeha:two", "{\"id\":\"org.edgeha:two:1.0.0\"}", "file two");
        records.save("org.edgeha:three", "{\"id\":\"org.edgeha:three:1.0.0\"}", "file three");
        Files.write(folder.resolve("org.edgeha~two.json"), new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}); // not UTF-8
        Files.writeString(folder.resolve("org.edgeha~three.origin"), "garbage\n");
        Files.writeString(folder.resolve("org.edgeha~four.json"), "{}"); // its .origin never written

        List<String> problems = new ArrayList<>();
        List<FeatureRecords.Record> loaded = new FeatureRecords(folder).load(problems::add);

        assertEquals(List.of("org.edgeha~one", "org.edgeha~three"), loaded.stream().map(FeatureRecords.Record::file).toList());
        assertEquals("the one without a sequence number comes last", Long.MAX_VALUE, loaded.get(1).sequence());
        assertEquals(problems.toString(), 3, problems.size());
        assertTrue(problems.toString(), problems.stream().anyMatch(p -> p.contains("org.edgeha~two.json cannot be read")));
        assertTrue(problems.toString(), problems.stream().anyMatch(p -> p.contains("org.edgeha~three.origin holds no")));
        assertTrue(problems.toString(), problems.stream().anyMatch(p -> p.contains("org.edgeha~four.json has no")));
        assertTrue("kept for the operator", Files.exists(folder.resolve("org.edgeha~two.json.damaged")));
        assertTrue(Files.exists(folder.resolve("org.edgeha~two.origin.damaged")));
        assertTrue(Files.exists(folder.resolve("org.edgeha~four.json.damaged")));

        problems.clear();
        assertEquals(2, new FeatureRecords(folder).load(problems::add).size());
        assertEquals("reported once: " + problems, List.of(folder.resolve("org.edgeha~three.origin")
                + " holds no install sequence number; its feature is installed last"), problems);
    }
}
