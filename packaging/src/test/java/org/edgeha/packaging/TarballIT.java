package org.edgeha.packaging;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.edgeha.testing.broker.BrokerFixture;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The tarballs as an operator uses them: unpacked, started with {@code bin/edgeha} from another working directory
 * (and through a symbolic link to the script), with the JDK of JAVA_HOME or with the bundled jlink runtime; ready
 * against a private broker, then stopped with SIGTERM.
 */
public class TarballIT {

    private static BrokerFixture broker;

    @BeforeClass
    public static void startBroker() {
        broker = BrokerFixture.start();
    }

    @AfterClass
    public static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    public void thePlainTarballStartsWithTheJavaOfJavaHomeFromAnotherFolderThroughALink() throws Exception {
        Path root = Files.createTempDirectory("edgeha-tarball-");
        try {
            Path dist = unpack(System.getProperty("edgeha.packaging.tarball"), root.resolve("opt"));
            assertTrue("the plain tarball must not carry a runtime", !Files.exists(dist.resolve("runtime")));
            // The node comes from etc/edgeha.conf, the broker from an argument: both ways of giving settings.
            Files.writeString(dist.resolve("etc/edgeha.conf"), "EDGEHA_NODE=7\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
            Path link = Files.createSymbolicLink(elsewhere.resolve("edgeha"), dist.resolve("bin/edgeha"));
            Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
            startAndStop(List.of(link.toString(), "--edgeha.broker=" + broker.uri()), elsewhere,
                    System.getProperty("java.home"), dist, 7, java);
        } finally {
            Commands.deleteTree(root);
        }
    }

    @Test
    public void binEdgehaSignRunsTheOperatorsSigningToolWithoutGatewaySettings() throws Exception {
        Path root = Files.createTempDirectory("edgeha-tarball-sign-");
        try {
            Path dist = unpack(System.getProperty("edgeha.packaging.tarball"), root.resolve("opt"));
            Files.writeString(dist.resolve("etc/edgeha.conf"), "EDGEHA_NODE=7\n", java.nio.file.StandardOpenOption.APPEND);
            Commands.Result help = Commands.run(List.of(dist.resolve("bin/edgeha").toString(), "sign", "--help"));
            assertEquals(help.output(), 0, help.status());
            assertTrue(help.output(), help.output().contains("keygen") && help.output().contains("request"));
            Path key = root.resolve("operator.pem");
            String keygen = Commands.ok(dist.resolve("bin/edgeha").toString(), "sign", "keygen", "--key", key.toString(),
                    "--key-id", "ops");
            assertTrue(keygen, keygen.contains("trusted.keys = ops="));
            assertTrue("no gateway home was made for the tool", !Files.exists(dist.resolve("data")));
        } finally {
            Commands.deleteTree(root);
        }
    }

    @Test
    public void theRuntimeTarballStartsWithItsOwnJlinkRuntimeFromAnotherFolder() throws Exception {
        Path root = Files.createTempDirectory("edgeha-tarball-rt-");
        try {
            Path dist = unpack(System.getProperty("edgeha.packaging.runtimeTarball"), root.resolve("opt"));
            Path bundled = dist.resolve("runtime/bin/java");
            assertTrue("no runtime/bin/java in the runtime tarball", Files.isExecutable(bundled));
            Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
            // JAVA_HOME names a folder without Java: the bundled runtime must be taken before it is looked at.
            startAndStop(List.of(dist.resolve("bin/edgeha").toString(), "--edgeha.node=8",
                    "--edgeha.broker=" + broker.uri()), elsewhere, root.resolve("no-jdk-here").toString(), dist, 8,
                    bundled.toRealPath());
        } finally {
            Commands.deleteTree(root);
        }
    }

    @Test
    public void aCleanStopLeavesAClassDataArchiveThatLaterStartsMapAndADamagedOneIsDroppedNotUsed() throws Exception {
        Path root = Files.createTempDirectory("edgeha-tarball-cds-");
        try {
            Path dist = unpack(System.getProperty("edgeha.packaging.runtimeTarball"), root.resolve("opt"));
            Path cds = dist.resolve("data/cds");
            List<String> command = List.of(dist.resolve("bin/edgeha").toString(), "--edgeha.node=9",
                    "--edgeha.broker=" + broker.uri());
            Path runtimeJava = dist.resolve("runtime/bin/java").toRealPath();
            // First start: no archive yet; the JVM writes one at its clean stop, as a .part to be checked.
            startAndStop(command, root, "/nonexistent", dist, 9, runtimeJava, pid -> assertEquals("", mappedArchive(pid)));
            assertEquals("after the first clean stop", List.of("part"), archiveKinds(cds));
            // Second start: the .part is checked, kept under its final name and mapped by the JVM.
            startAndStop(command, root, "/nonexistent", dist, 9, runtimeJava,
                    pid -> assertTrue("the JVM did not map the archive", mappedArchive(pid).endsWith(".jsa")));
            assertEquals("after the second start", List.of("jsa"), archiveKinds(cds));
            // A damaged archive (cut short, as a power cut or a full disk could leave it) would crash the JVM when
            // mapped: the start must drop it, run without it, and make a new one at its stop.
            Path archive = onlyFile(cds);
            byte[] bytes = Files.readAllBytes(archive);
            archive.toFile().setWritable(true);
            Files.write(archive, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            startAndStop(command, root, "/nonexistent", dist, 9, runtimeJava, pid -> assertEquals("", mappedArchive(pid)));
            assertEquals("after a start with a truncated archive", List.of("part"), archiveKinds(cds));
            // A half-written .part is refused by the check and made again.
            Path part = onlyFile(cds);
            bytes = Files.readAllBytes(part);
            part.toFile().setWritable(true);
            Files.write(part, java.util.Arrays.copyOf(bytes, 4_096));
            startAndStop(command, root, "/nonexistent", dist, 9, runtimeJava, pid -> assertEquals("", mappedArchive(pid)));
            assertEquals("after a start with a truncated .part", List.of("part"), archiveKinds(cds));
            // EDGEHA_CDS=off: neither made nor used.
            Commands.deleteTree(cds);
            startAndStop(command, root, "/nonexistent", dist, 9, runtimeJava, pid -> assertEquals("", mappedArchive(pid)),
                    "EDGEHA_CDS", "off");
            assertTrue("EDGEHA_CDS=off made an archive", !Files.exists(cds));
        } finally {
            Commands.deleteTree(root);
        }
    }

    private interface WhileRunning {
        void check(long pid) throws Exception;
    }

    /** @return the class data archive under data/cds the process maps, or "" */
    private static String mappedArchive(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                .filter(l -> l.contains("/data/cds/")).map(l -> l.substring(l.indexOf('/'))).findFirst().orElse("");
    }

    private static List<String> archiveKinds(Path cds) throws IOException {
        try (var files = Files.list(cds)) {
            return files.map(f -> f.getFileName().toString()).map(n -> n.substring(n.lastIndexOf('.') + 1)).sorted()
                    .toList();
        }
    }

    private static Path onlyFile(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            List<Path> all = files.toList();
            assertEquals(all.toString(), 1, all.size());
            return all.get(0);
        }
    }

    private static void startAndStop(List<String> command, Path workDir, String javaHome, Path dist, int node,
            Path expectedJava) throws Exception {
        startAndStop(command, workDir, javaHome, dist, node, expectedJava, pid -> { });
    }

    private static void startAndStop(List<String> command, Path workDir, String javaHome, Path dist, int node,
            Path expectedJava, WhileRunning whileRunning, String... env) throws Exception {
        Path console = workDir.resolve("console.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(console.toFile());
        builder.environment().put("JAVA_HOME", javaHome);
        builder.environment().put("EDGEHA_CONSOLE", "false");
        builder.environment().remove("EDGEHA_HOME");
        builder.environment().remove("EDGEHA_JAVA");
        builder.environment().remove("EDGEHA_CDS");
        for (int i = 0; i + 1 < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        Process gateway = builder.start();
        try {
            Commands.awaitText(console, "EdgeHA gateway ready: node " + node + ",", gateway, 90);
            String out = Commands.read(console);
            // Home defaults to the unpacked folder, whatever the working directory.
            assertTrue("the home is not the unpacked folder " + dist + ":\n" + out,
                    out.contains("(home " + dist.toRealPath() + ")") || out.contains("(home " + dist + ")"));
            assertTrue("no data/ in the unpacked folder", Files.isDirectory(dist.resolve("data")));
            assertTrue("the working directory got a data/ folder", !Files.exists(workDir.resolve("data")));
            // exec: the JVM is the script's own process, so SIGTERM from a service manager reaches it.
            Path exe = Path.of("/proc/" + gateway.pid() + "/exe").toRealPath();
            assertEquals("the gateway does not run on the Java it should", expectedJava, exe);
            whileRunning.check(gateway.pid());
            gateway.destroy(); // SIGTERM
            assertTrue("the gateway did not stop within 30 s after SIGTERM:\n" + Commands.tail(console),
                    gateway.waitFor(30, TimeUnit.SECONDS));
            assertEquals("exit status after SIGTERM:\n" + Commands.tail(console), 0, gateway.exitValue());
            assertTrue("no clean \"stopped\" line:\n" + Commands.tail(console),
                    Commands.read(console).contains("EdgeHA gateway stopped"));
        } finally {
            gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path unpack(String tarball, Path into) throws IOException, InterruptedException {
        assertTrue("no tarball at " + tarball + " (built by mvn package in packaging/)",
                tarball != null && Files.isRegularFile(Path.of(tarball)));
        Files.createDirectories(into);
        Commands.ok("tar", "xzf", tarball, "-C", into.toString());
        Path dist = into.resolve(System.getProperty("edgeha.packaging.distName"));
        for (String file : List.of("bin/edgeha", "lib/edgeha-gateway.jar", "etc/edgeha.conf",
                "etc/org.edgeha.gateway.log.cfg", "etc/org.edgeha.mqtt.cfg", "README.md",
                // the optional features, for feature:install on a stock gateway
                "lib/repository/org/edgeha/logging/" + System.getProperty("edgeha.packaging.version") + "/logging-"
                        + System.getProperty("edgeha.packaging.version") + ".json")) {
            assertTrue(file + " missing from " + tarball, Files.isRegularFile(dist.resolve(file)));
        }
        assertTrue("bin/edgeha is not executable", Files.isExecutable(dist.resolve("bin/edgeha")));
        return dist;
    }
}
