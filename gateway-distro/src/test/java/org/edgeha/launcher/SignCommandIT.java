package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The operators' command in the real {@code edgeha-gateway.jar}: {@code sign --help}, {@code sign keygen} and a bad
 * argument, each run as its own process. Nothing of the gateway starts: the working folder holds only what the
 * command wrote. That gateways accept what {@code sign request} prints is RemoteDeployIT's part.
 */
public class SignCommandIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static List<String> contents(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    public void helpPrintsTheUsageWithAnExample() throws Exception {
        Path folder = tmp.newFolder("help").toPath();
        SignTool.Result help = SignTool.run(folder, "--help");
        assertEquals(help.toString(), 0, help.status());
        assertTrue(help.out(), help.out().startsWith("Usage: java -jar edgeha-gateway.jar sign keygen --key FILE --key-id ID"));
        assertTrue(help.out(), help.out().contains("Example:") && help.out().contains("sign request --key ops.pem"));
        assertEquals("", help.err());
        assertEquals("no gateway home, no framework cache", List.of(), contents(folder));
    }

    @Test
    public void keygenWritesAnOwnerOnlyKeyAndPrintsTheTrustedKeysLine() throws Exception {
        Path folder = tmp.newFolder("keygen").toPath();
        SignTool.Result keygen = SignTool.run(folder, "keygen", "--key", "ops.pem", "--key-id", "ops");
        assertEquals(keygen.toString(), 0, keygen.status());
        SignCommandTest.trustedKey(keygen.out(), "ops");
        assertEquals(keygen.out(), 1, keygen.out().lines().count());
        assertEquals("only the key, no gateway home or framework cache", List.of("ops.pem"), contents(folder));
        Path key = folder.resolve("ops.pem");
        if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
        SignTool.Result list = SignTool.ok(folder, "request", "--key", "ops.pem", "--key-id", "ops", "--op", "list",
                "--target", "all");
        assertEquals("list", SignCommandTest.properties(list.out()).get("op"));
    }

    @Test
    public void aBadArgumentIsOneClearLineAndStatus2() throws Exception {
        Path folder = tmp.newFolder("bad").toPath();
        SignTool.Result bad = SignTool.run(folder, "request", "--key", "ops.pem", "--key-id", "ops", "--op", "deploy",
                "--target", "all");
        assertEquals(bad.toString(), 2, bad.status());
        assertEquals("", bad.out());
        assertEquals("exactly one line: " + bad.err(), 1, bad.err().lines().count());
        assertEquals("edgeha sign: --op must be one of [install, list, remove, update], not 'deploy'"
                + " (see: java -jar edgeha-gateway.jar sign --help)", bad.err().strip());
        assertFalse(bad.err(), bad.err().contains("Exception"));
        SignTool.Result none = SignTool.run(folder);
        assertEquals(none.toString(), 2, none.status());
        assertEquals(none.err(), 1, none.err().lines().count());
        assertEquals("nothing of the gateway started", List.of(), contents(folder));
    }
}
