package org.edgeha.sparkplug.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** bdSeq: 0 first, plus 1 per session, 255 then 0, and a restart (a new store on the same file) goes on counting. */
public class BdSeqStoreTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void countsWrapsAndSurvivesARestart() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("data/sparkplug/bdSeq");
        BdSeqStore store = new BdSeqStore(file);
        assertEquals(0, store.next());
        assertEquals(1, store.next());
        assertEquals(2, new BdSeqStore(file).next());
        Files.writeString(file, "255");
        BdSeqStore restarted = new BdSeqStore(file);
        assertEquals(255, restarted.next());
        assertEquals(0, restarted.next());
    }

    @Test
    public void unreadableFileFallsBackToMemory() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("bdSeq");
        Files.writeString(file, "not a number");
        BdSeqStore store = new BdSeqStore(file);
        assertEquals(0, store.next());
        assertEquals(1, store.next());
    }
}
