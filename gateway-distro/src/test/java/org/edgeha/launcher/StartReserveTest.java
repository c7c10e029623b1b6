package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The start reserve on a real 4 MiB file system that fills up (a tmpfs; skipped where none can be mounted). */
public class StartReserveTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private SmallDisk disk;

    @After
    public void tearDown() {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    public void isMadeWithRoomToSpareReleasedOnAFullDiskAndMadeAgainWhenThereIsRoom() throws Exception {
        Path data = tmp.getRoot().toPath().resolve("data");
        disk = SmallDisk.mountOrSkip(data, "4m");
        StartReserve reserve = new StartReserve(data);
        assertNull("plenty of room: nothing to say", reserve.releaseIfLow());

        long before = reserve.free();
        assertTrue(reserve.keepUp());
        Path file = data.resolve(StartReserve.FILE);
        assertEquals(StartReserve.BYTES, Files.size(file));
        assertTrue("real blocks, not a sparse file", before - reserve.free() >= StartReserve.BYTES);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertNull("kept while there is room", reserve.releaseIfLow());
        assertTrue(Files.exists(file));

        Path filler = data.resolve("filler");
        disk.fill(filler);
        assertTrue(reserve.free() < StartReserve.BYTES);
        String told = reserve.releaseIfLow();
        assertTrue(told, told.contains("released the " + StartReserve.BYTES + "-byte start reserve"));
        assertFalse(Files.exists(file));
        assertTrue("the start has the reserve's room", reserve.free() >= StartReserve.BYTES);

        assertFalse("not made again while less than twice its size is free", reserve.keepUp());
        assertFalse(Files.exists(file));
        assertFalse("no partial reserve left behind", Files.exists(data.resolve(StartReserve.FILE + ".part")));

        disk.fill(data.resolve("filler2"));
        told = reserve.releaseIfLow();
        assertTrue(told, told.contains("no start reserve left"));

        Files.delete(filler);
        Files.delete(data.resolve("filler2"));
        assertTrue("made again once there is room", reserve.keepUp());
        assertEquals(StartReserve.BYTES, Files.size(file));
    }
}
