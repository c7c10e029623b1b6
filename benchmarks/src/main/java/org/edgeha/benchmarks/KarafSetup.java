package org.edgeha.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a freshly unpacked Karaf to this machine (anchor 4a's setup): no remote Maven repository (every boot feature
 * resolves from its {@code system/} folder), ssh on 127.0.0.1 at a free port, and RMI, should the management feature
 * ever start, on 127.0.0.1 at free ports too.
 */
final class KarafSetup {

    private KarafSetup() {
    }

    static void isolate(Path home, int sshPort, int rmiRegistryPort, int rmiServerPort) throws IOException {
        Path etc = home.resolve("etc");
        setProperty(etc.resolve("org.ops4j.pax.url.mvn.cfg"), "org.ops4j.pax.url.mvn.repositories", "");
        setProperty(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(sshPort));
        setProperty(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost", "127.0.0.1");
        Path management = etc.resolve("org.apache.karaf.management.cfg");
        setProperty(management, "rmiRegistryPort", Integer.toString(rmiRegistryPort));
        setProperty(management, "rmiRegistryHost", "127.0.0.1");
        setProperty(management, "rmiServerPort", Integer.toString(rmiServerPort));
        setProperty(management, "rmiServerHost", "127.0.0.1");
    }

    /** Replaces every definition of {@code key} (with its continuation lines) in a .cfg file by {@code key = value}. */
    static void setProperty(Path cfg, String key, String value) throws IOException {
        List<String> lines = Files.exists(cfg) ? Files.readAllLines(cfg, StandardCharsets.UTF_8) : List.of();
        List<String> kept = new ArrayList<>();
        boolean continued = false;
        for (String line : lines) {
            boolean definition = line.matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*[=:].*");
            if (continued || definition) {
                continued = line.endsWith("\\");
                continue;
            }
            kept.add(line);
        }
        kept.add(key + " = " + value);
        Files.write(cfg, kept, StandardCharsets.UTF_8);
    }
}
