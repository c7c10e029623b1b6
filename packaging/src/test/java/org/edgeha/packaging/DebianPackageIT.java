package org.edgeha.packaging;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.edgeha.testing.broker.BrokerFixture;
import org.junit.Test;

/**
 * The Debian package, checked with dpkg-deb, then (as root only) installed into this machine's real file system,
 * its unit's ExecStart run as user edgeha the way systemd would, removed and purged. The machine is left as it was
 * found, on failure too: everything the package may create is noted before, and whatever was not there is removed
 * again in {@code finally} (the package purged, the paths deleted, the user removed), also from a shutdown hook
 * should the test JVM be stopped.
 */
public class DebianPackageIT {

    private static final String PACKAGE = "edgeha";
    /** Everything the package or its gateway may create outside the package's own file list. */
    private static final List<Path> CREATED = List.of(Path.of("/var/lib/edgeha"), Path.of("/etc/edgeha"),
            Path.of("/var/log/edgeha"), Path.of("/usr/share/edgeha"), Path.of("/usr/share/doc/edgeha"),
            Path.of("/lib/systemd/system/edgeha.service"), Path.of("/lib/systemd/system/edgeha@.service"));
    /** systemd's PATH for services (systemd.exec(5)), which ExecStart's script searches for java. */
    private static final String SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static Path deb() throws IOException {
        Path dir = Path.of(System.getProperty("edgeha.packaging.dir", "target"));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("edgeha_.*_all\\.deb")).toList();
            assertEquals("exactly one edgeha_*_all.deb in " + dir + " (built by mvn package): " + debs, 1, debs.size());
            return debs.get(0);
        }
    }

    @Test
    public void thePackageHoldsTheFilesConffilesAndMaintainerScripts() throws Exception {
        assumeTrue("dpkg-deb is not installed: the package cannot be checked here", Commands.available("dpkg-deb"));
        Path deb = deb();
        String version = Commands.ok("dpkg-deb", "-f", deb.toString(), "Version").trim();
        // Debian versions cannot carry the Maven -SNAPSHOT as is: '-' would start a Debian revision.
        assertTrue("version " + version, version.matches("[0-9][0-9.]*(~[a-z]+)?"));
        assertEquals("edgeha_" + version + "_all.deb", deb.getFileName().toString());
        assertEquals("all", Commands.ok("dpkg-deb", "-f", deb.toString(), "Architecture").trim());

        String files = Commands.ok("dpkg-deb", "-c", deb.toString());
        for (String entry : List.of("-rwxr-xr-x root/root .* ./usr/share/edgeha/bin/edgeha",
                "-rw-r--r-- root/root .* ./usr/share/edgeha/lib/edgeha-gateway.jar",
                "-rw-r----- root/root .* ./etc/edgeha/edgeha.conf", "./etc/edgeha/org.edgeha.gateway.log.cfg",
                "./etc/edgeha/org.edgeha.mqtt.cfg", "./lib/systemd/system/edgeha.service",
                "./lib/systemd/system/edgeha@.service", "./usr/share/doc/edgeha/README.md",
                "./var/log/edgeha -> /var/lib/edgeha/data/log")) {
            assertTrue("no " + entry + " in the package:\n" + files,
                    files.lines().anyMatch(l -> l.matches(".*" + entry.replace("./", "\\./") + ".*")));
        }
        assertFalse("the package must not ship data:\n" + files, files.contains("./var/lib/edgeha/"));

        Path control = Files.createTempDirectory("edgeha-deb-control-");
        try {
            Commands.ok("dpkg-deb", "-e", deb.toString(), control.toString());
            assertEquals(List.of("/etc/edgeha/edgeha.conf", "/etc/edgeha/org.edgeha.gateway.log.cfg",
                    "/etc/edgeha/org.edgeha.mqtt.cfg"),
                    Files.readAllLines(control.resolve("conffiles")).stream().filter(l -> !l.isBlank()).sorted().toList());
            for (String script : List.of("postinst", "prerm", "postrm")) {
                Path p = control.resolve(script);
                assertTrue(script + " missing or not executable", Files.isExecutable(p));
                Commands.ok("sh", "-n", p.toString()); // parses
            }
            String postinst = Files.readString(control.resolve("postinst"));
            assertTrue("postinst does not create the user edgeha", postinst.contains("useradd --system"));
            String postrm = Files.readString(control.resolve("postrm"));
            assertTrue("postrm does not remove the data on purge", postrm.contains("rm -rf /var/lib/edgeha"));
        } finally {
            Commands.deleteTree(control);
        }
    }

    @Test
    public void installedTheServiceRunsAsEdgehaStopsCleanlyAndPurgeLeavesNothing() throws Exception {
        assumeTrue("not root: dpkg -i needs root (CI runs as root), so the package is not installed here",
                Commands.isRoot());
        assumeTrue("no dpkg here: the package cannot be installed", Commands.available("dpkg"));
        assumeTrue("no setpriv here (util-linux): the unit's User= cannot be played", Commands.available("setpriv"));
        Commands.Result status = Commands.run(List.of("dpkg-query", "-W", "-f=${Status}", PACKAGE));
        assumeTrue("the package edgeha is installed on this machine already (" + status.output()
                + "): not touching it", status.status() != 0 || !status.output().contains("installed"));
        for (Path p : CREATED) {
            assumeTrue(p + " exists already: not touching this machine",
                    !Files.exists(p, LinkOption.NOFOLLOW_LINKS));
        }
        boolean userBefore = userExists();
        boolean groupBefore = Commands.run(List.of("getent", "group", "edgeha")).status() == 0;
        Path deb = deb();
        Thread cleanup = new Thread(() -> restore(userBefore, groupBefore), "edgeha-deb-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Process gateway = null;
        Process second = null;
        try (BrokerFixture broker = BrokerFixture.start()) {
            Commands.ok("dpkg", "-i", deb.toString());
            assertTrue("dpkg does not list edgeha as installed", Commands.ok("dpkg-query", "-W", "-f=${Status}",
                    PACKAGE).contains("install ok installed"));
            assertTrue("postinst did not create the user edgeha", userExists());
            assertEquals("/var/lib/edgeha owner", "edgeha", Files.getOwner(Path.of("/var/lib/edgeha")).getName());
            assertEquals("/var/lib/edgeha mode", "rwx------", perms(Path.of("/var/lib/edgeha")));
            assertEquals("/etc/edgeha/edgeha.conf mode", "rw-r-----", perms(Path.of("/etc/edgeha/edgeha.conf")));
            assertEquals("/etc/edgeha/edgeha.conf group", "edgeha", Files.readAttributes(
                    Path.of("/etc/edgeha/edgeha.conf"), java.nio.file.attribute.PosixFileAttributes.class).group()
                    .getName());

            Map<String, String> unit = unit(Path.of("/lib/systemd/system/edgeha.service"));
            assertEquals("edgeha", unit.get("User"));
            assertEquals("0077", unit.get("UMask"));
            assertEquals("on-failure", unit.get("Restart"));
            assertEquals("yes", unit.get("NoNewPrivileges"));
            assertEquals("strict", unit.get("ProtectSystem"));
            assertEquals("yes", unit.get("PrivateTmp"));
            assertTrue(unit.get("ReadWritePaths"), unit.get("ReadWritePaths").contains("/var/lib/edgeha")
                    && unit.get("ReadWritePaths").contains("/etc/edgeha"));
            Map<String, String> template = unit(Path.of("/lib/systemd/system/edgeha@.service"));
            assertEquals("edgeha", template.get("User"));
            assertTrue("the template's home is not per instance: " + template.get("Environment"),
                    template.get("Environment").contains("EDGEHA_HOME=/var/lib/edgeha/instances/%i"));
            verifyUnits();

            // As an operator would: the broker and node in the conffile.
            Files.writeString(Path.of("/etc/edgeha/edgeha.conf"), "EDGEHA_NODE=3\nEDGEHA_BROKER=" + broker.uri() + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Path console = Files.createTempFile("edgeha-deb-console-", ".txt");
            gateway = startAsTheUnitWould(unit, console);
            Commands.awaitText(console, "EdgeHA gateway ready: node 3,", gateway, 90);
            assertEquals("the gateway does not run as edgeha", uidOf("edgeha"), Commands.uid(gateway.pid()));
            assertTrue(Commands.read(console), Commands.read(console).contains("(home /var/lib/edgeha)"));
            assertEquals("HOME/etc is not the link to /etc/edgeha", Path.of("/etc/edgeha"),
                    Files.readSymbolicLink(Path.of("/var/lib/edgeha/etc")));
            assertTrue("the log is not reachable through /var/log/edgeha",
                    Files.isRegularFile(Path.of("/var/log/edgeha/edgeha0.log")));
            // UMask=0077: what Felix writes with the process's umask is owner-only too.
            try (Stream<Path> cache = Files.walk(Path.of("/var/lib/edgeha/data"))) {
                List<String> open = cache.filter(p -> !Files.isSymbolicLink(p)).filter(p -> {
                    try {
                        Set<PosixFilePermission> s = Files.getPosixFilePermissions(p);
                        return s.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
                    } catch (IOException e) {
                        return false;
                    }
                }).map(Path::toString).toList();
                assertTrue("files in data/ readable by others than edgeha: " + open, open.isEmpty());
            }

            // A second gateway beside it through the template unit, as edgeha@line2.service: its own home and settings.
            Path instanceEtc = Files.createDirectories(Path.of("/etc/edgeha/instances/line2"));
            Files.writeString(instanceEtc.resolve("edgeha.conf"), "EDGEHA_NODE=4\nEDGEHA_BROKER=" + broker.uri() + "\n");
            Commands.ok("chgrp", "-R", "edgeha", instanceEtc.toString());
            Map<String, String> line2 = instance(template, "line2");
            Path console2 = Files.createTempFile("edgeha-deb-console2-", ".txt");
            second = startAsTheUnitWould(line2, console2);
            Commands.awaitText(console2, "EdgeHA gateway ready: node 4,", second, 90);
            assertTrue(Commands.read(console2), Commands.read(console2).contains(
                    "(home /var/lib/edgeha/instances/line2)"));
            assertTrue("the instance has no log of its own",
                    Files.isRegularFile(Path.of("/var/lib/edgeha/instances/line2/data/log/edgeha0.log")));
            assertTrue("the first gateway stopped when the second started", gateway.isAlive());
            second.destroy();
            assertTrue("the instance did not stop within 30 s:\n" + Commands.tail(console2),
                    second.waitFor(30, TimeUnit.SECONDS));
            assertEquals("the instance's exit status after SIGTERM:\n" + Commands.tail(console2), 0, second.exitValue());
            Files.deleteIfExists(console2);

            gateway.destroy(); // SIGTERM, as systemd's stop (KillSignal=SIGTERM) sends it
            assertTrue("the gateway did not stop within 30 s (TimeoutStopSec):\n" + Commands.tail(console),
                    gateway.waitFor(30, TimeUnit.SECONDS));
            assertEquals("exit status after SIGTERM:\n" + Commands.tail(console), 0, gateway.exitValue());
            assertTrue("no clean \"stopped\" line:\n" + Commands.tail(console),
                    Commands.read(console).contains("EdgeHA gateway stopped"));
            Files.deleteIfExists(console);

            Commands.ok("dpkg", "-r", PACKAGE);
            assertFalse("remove left the program files", Files.exists(Path.of("/usr/share/edgeha/lib/edgeha-gateway.jar")));
            assertTrue("remove must keep the data", Files.isDirectory(Path.of("/var/lib/edgeha/data")));
            assertTrue("remove must keep the configuration", Files.isRegularFile(Path.of("/etc/edgeha/edgeha.conf")));
            Commands.ok("dpkg", "--purge", PACKAGE);
            List<Path> left = new ArrayList<>();
            for (Path p : CREATED) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    left.add(p);
                }
            }
            assertTrue("purge left " + left, left.isEmpty());
            assertEquals("the user edgeha after purge (removed when the package made it)", userBefore, userExists());
            assertTrue("dpkg still knows edgeha after purge",
                    Commands.run(List.of("dpkg-query", "-W", "-f=${Status}", PACKAGE)).status() != 0
                    || !Commands.ok("dpkg-query", "-W", "-f=${Status}", PACKAGE).contains("installed"));
        } finally {
            for (Process p : new Process[] {gateway, second}) {
                if (p != null) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            restore(userBefore, groupBefore);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    /**
     * ExecStart as systemd would run it: as User=/Group= with supplementary groups, no new privileges, UMask=,
     * WorkingDirectory=, and only the unit's Environment= on top of systemd's own PATH.
     */
    private static Process startAsTheUnitWould(Map<String, String> unit, Path console) throws IOException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + unit.get("User"),
                "--regid=" + unit.get("Group"), "--init-groups", "--no-new-privs", "--", "/bin/sh", "-c",
                "umask " + unit.get("UMask") + " && exec \"$@\"", "sh"));
        command.addAll(List.of(unit.get("ExecStart").split("\\s+")));
        ProcessBuilder builder = new ProcessBuilder(command).directory(new java.io.File(unit.get("WorkingDirectory")))
                .redirectErrorStream(true).redirectOutput(console.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", SYSTEMD_PATH);
        env.put("HOME", "/var/lib/edgeha");
        env.put("USER", unit.get("User"));
        for (String assignment : unit.get("Environment").split("\\s+")) {
            int eq = assignment.indexOf('=');
            env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        if (!Commands.available("java") || !hasJavaOnSystemdPath()) {
            // Not how the unit runs: a machine whose only JDK is outside systemd's PATH (the package recommends one).
            System.out.println("DebianPackageIT: no java on systemd's PATH; giving JAVA_HOME=" + System.getProperty("java.home"));
            env.put("JAVA_HOME", System.getProperty("java.home"));
        }
        // console.txt is made by root; the gateway writes it through the file descriptor it inherits.
        return builder.start();
    }

    private static boolean hasJavaOnSystemdPath() {
        for (String dir : SYSTEMD_PATH.split(":")) {
            if (Files.isExecutable(Path.of(dir, "java"))) {
                return true;
            }
        }
        return false;
    }

    /** The template's keys for one instance: {@code %i} replaced, as systemd does. */
    private static Map<String, String> instance(Map<String, String> template, String name) {
        Map<String, String> keys = new LinkedHashMap<>();
        template.forEach((k, v) -> keys.put(k, v.replace("%i", name)));
        return keys;
    }

    /** systemd-analyze verify on both units (the template as an instance), where systemd's tools are installed. */
    private static void verifyUnits() throws Exception {
        if (!Commands.available("systemd-analyze")) {
            System.out.println("DebianPackageIT: no systemd-analyze here; the units are not verified");
            return;
        }
        Path dir = Files.createTempDirectory("edgeha-units-");
        try {
            // An instance name on the template: systemd-analyze verifies unit files, and a template is not one.
            Path instance = dir.resolve("edgeha@gw2.service");
            Files.copy(Path.of("/lib/systemd/system/edgeha@.service"), instance);
            for (Path unit : List.of(Path.of("/lib/systemd/system/edgeha.service"), instance)) {
                Commands.Result r = Commands.run(List.of("systemd-analyze", "verify", unit.toString()));
                // Only lines about our unit count: verify also loads the system's other units, which are not ours.
                List<String> ours = r.output().lines().filter(l -> l.contains("edgeha")).toList();
                assertTrue("systemd-analyze verify " + unit + " complains:\n" + r.output(), ours.isEmpty());
            }
        } finally {
            Commands.deleteTree(dir);
        }
    }

    /** The [Service] keys of a unit file (the last assignment of a key wins; Environment= lines are joined). */
    private static Map<String, String> unit(Path file) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq < 1) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            keys.merge(key, value, (a, b) -> key.equals("Environment") ? a + " " + b : b);
        }
        for (String required : List.of("User", "Group", "UMask", "ExecStart", "Environment")) {
            assertTrue(file + " has no " + required + "=", keys.containsKey(required));
        }
        keys.putIfAbsent("WorkingDirectory", "/");
        return keys;
    }

    private static boolean userExists() throws IOException, InterruptedException {
        return Commands.run(List.of("getent", "passwd", "edgeha")).status() == 0;
    }

    private static int uidOf(String user) throws IOException, InterruptedException {
        return Integer.parseInt(Commands.ok("id", "-u", user).trim());
    }

    private static String perms(Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Puts the machine back as it was found: purges the package, deletes what is left, removes the user. */
    private static synchronized void restore(boolean userBefore, boolean groupBefore) {
        try {
            Commands.Result s = Commands.run(List.of("dpkg-query", "-W", "-f=${Status}", PACKAGE));
            if (s.status() == 0 && !s.output().contains("not-installed")) {
                Commands.Result purge = Commands.run(List.of("dpkg", "--purge", PACKAGE));
                if (purge.status() != 0) {
                    System.err.println("DebianPackageIT cleanup: dpkg --purge edgeha failed:\n" + purge.output());
                }
            }
            for (Path p : CREATED) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    System.err.println("DebianPackageIT cleanup: removing " + p);
                    Commands.deleteTree(p);
                }
            }
            if (!userBefore && userExists()) {
                Commands.run(List.of("pkill", "-KILL", "-u", "edgeha")); // only processes of the test's user
                Commands.run(List.of("userdel", "edgeha"));
            }
            if (!groupBefore && Commands.run(List.of("getent", "group", "edgeha")).status() == 0) {
                Commands.run(List.of("groupdel", "edgeha"));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("DebianPackageIT cleanup failed, check /var/lib/edgeha, /etc/edgeha and the user edgeha: "
                    + e);
        }
    }
}
