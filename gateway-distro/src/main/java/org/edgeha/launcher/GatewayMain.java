package org.edgeha.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeha.gateway.api.GatewaySettings;
import org.edgeha.gateway.api.InvalidSettingException;

/**
 * Entry point of {@code edgeha-gateway.jar}. Reads the settings from system properties and
 * {@code --key=value} arguments (arguments win), checks them, points the framework cache, FileInstall
 * and the console at the gateway's home, then hands over to bnd's embedded launcher, which starts Felix
 * and the bundles.
 *
 * <p>Bad settings stop the start with one line on standard error and exit status {@value #EXIT_BAD_SETTINGS}.
 *
 * <p>With {@code sign} as the first argument the jar is the operators' signing tool instead ({@link SignCommand}):
 * it runs on the main thread and exits, and nothing of the gateway (settings, home, framework) is touched.
 */
public final class GatewayMain {

    static final int EXIT_BAD_SETTINGS = 2;

    /** Set by the gateway bundle (GatewayRuntime) after a clean stop from inside the framework. */
    private static final String STOPPED_CLEANLY = "edgeha.stopped.cleanly";

    private static final String BND_LAUNCHER = "aQute.launcher.pre.EmbeddedLauncher";

    private GatewayMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length > 0 && args[0].equals(SignCommand.NAME)) {
            System.exit(SignCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        Map<String, String> arguments;
        try {
            arguments = parseArguments(args);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        System.setOut(new EventAdminStopNoise(System.out));
        if (arguments.containsKey("help")) {
            usage(System.out);
            return;
        }
        String unknown = UnknownSettings.problem(arguments, System.getProperties());
        if (unknown != null) {
            fail(unknown);
            return;
        }
        arguments.forEach(System::setProperty);
        if (!createHomeIfMissing(System.getProperty(GatewaySettings.HOME))) {
            return;
        }

        GatewaySettings settings;
        try {
            settings = GatewaySettings.from(System::getProperty);
        } catch (InvalidSettingException e) {
            fail(e.getMessage());
            return;
        }
        try {
            // FileInstall starts before any EdgeHA bundle and complains about a missing deploy/ folder.
            for (Path folder : new Path[] {settings.etc(), settings.deploy()}) {
                Files.createDirectories(folder);
            }
            // data/ (store, log, framework cache, temporary files) is owner-only before anything is written into it:
            // what the framework writes there with the process's umask is then out of other users' reach too.
            ownerOnly(settings.data());
        } catch (IOException e) {
            fail("cannot create the folders under " + GatewaySettings.HOME + "='" + settings.home() + "': " + e);
            return;
        }
        // Measured before data/tmp is cleared: what the previous run unpacked there is unpacked again at once.
        StartReserve reserve = new StartReserve(settings.data());
        String lowSpace = reserve.releaseIfLow();
        if (lowSpace != null) {
            System.err.println("edgeha: " + lowSpace);
        }
        try {
            recreate(settings.data().resolve("tmp"));
        } catch (IOException e) {
            fail("cannot clear " + settings.data().resolve("tmp") + ": " + e);
            return;
        }
        reserve.startKeeping();
        configureFramework(settings);
        exitCleanlyOnSigterm();
        exitCleanlyAfterAStopFromInside();
        Class.forName(BND_LAUNCHER).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    }

    /** A new gateway's home may not exist yet: make it, as long as its parent can hold it. */
    private static boolean createHomeIfMissing(String home) {
        if (home == null || home.isBlank()) {
            return true;
        }
        try {
            Path path = Path.of(home.trim());
            if (!Files.exists(path)) {
                Files.createDirectories(path);
            }
            return true;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            fail(GatewaySettings.HOME + "='" + home + "' does not exist and cannot be created (" + e.getMessage() + ")");
            return false;
        }
    }

    private static void recreate(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            try (var paths = Files.walk(folder)) {
                for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            } catch (java.io.UncheckedIOException e) {
                // the walk's own errors (e.g. a file another process removed meanwhile): one line from the caller
                throw e.getCause();
            }
        }
        ownerOnly(folder);
    }

    /** Creates {@code folder} if missing and makes it {@code rwx------} (where the file system has POSIX permissions). */
    private static void ownerOnly(Path folder) throws IOException {
        Files.createDirectories(folder);
        if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            } catch (IOException e) { // e.g. a folder of another user: start anyway, and say so
                System.err.println("edgeha: " + folder + " cannot be made owner-only (rwx------): " + e);
            }
        }
    }

    /** @return {@code --key=value} pairs in order; {@code --help} maps to "" */
    static Map<String, String> parseArguments(String[] args) {
        Map<String, String> result = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                result.put("help", "");
                continue;
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                unknown.add(arg);
                continue;
            }
            result.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("arguments must look like --key=value, not " + unknown
                    + " (see --help)");
        }
        return result;
    }

    /** Framework and bundle properties derived from the settings; each can still be overridden with -D. */
    private static void configureFramework(GatewaySettings settings) {
        System.setProperty(GatewaySettings.HOME, settings.home().toString());
        System.setProperty("edgeha.launcher", "true");
        // bnd's launcher lets a system property override its embedded launch.storage.dir (-runstorage).
        System.setProperty("launch.storage.dir", settings.data().resolve("felix-cache").toString());
        // Temporary files (bnd's launcher unpacks the framework jar) stay under the home and are
        // cleared at each start, so a gateway killed with -9 leaves nothing behind in /tmp.
        System.setProperty("java.io.tmpdir", settings.data().resolve("tmp").toString());
        setDefault("felix.fileinstall.dir", settings.deploy().toString());
        // The optional features' bundles the build puts next to the jar (repository/ in Maven layout): the feature
        // manager searches it after the home's repository, so that a stock gateway has them (feature:install logging).
        try {
            Path jar = Path.of(GatewayMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path distroRepository = jar.resolveSibling("repository");
            if (Files.isRegularFile(jar) && Files.isDirectory(distroRepository)) {
                System.setProperty("edgeha.distro.repository", distroRepository.toAbsolutePath().toString());
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // run from classes (tests): no distro repository
        }
        // Gogo's own console thread never reads stdin: it would print its prompt while the bundles start, before the
        // ready line. The interactive console is started by org.edgeha.console once the gateway is ready, when the
        // setting resolved here says so (auto: stdin is a terminal, whatever stdout is).
        setDefault("gosh.args", "--nointeractive");
        System.setProperty(GatewaySettings.CONSOLE, Boolean.toString(settings.interactiveConsole(stdinIsTerminal())));
    }

    /**
     * @return whether standard input is a terminal. {@code System.console()} is no answer: on JDK 17 it is
     *     {@code null} as soon as standard output is piped ({@code java -jar … | tee log}), which silently took the
     *     shell away. On Linux, {@code /proc/self/fd/0} names the terminal; elsewhere the JDK's answer stays.
     */
    static boolean stdinIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException noProc) {
            return System.console() != null;
        }
    }

    /**
     * Turns SIGTERM into {@code System.exit(0)}: the gateway bundle's shutdown hook then stops every
     * bundle, the JVM's exit hooks run (temporary files are deleted) and a service manager sees
     * status 0 rather than 143. Where the JVM lacks {@code sun.misc.Signal} the default stays.
     */
    @SuppressWarnings("restriction")
    private static void exitCleanlyOnSigterm() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(0));
        } catch (Throwable notSupported) {
            System.err.println("edgeha: SIGTERM will exit with status 143: " + notSupported);
        }
    }

    /**
     * {@code stop 0} at the console stops the framework from inside; bnd's launcher then exits with its
     * "stopped" status 117, which a service manager would take for a failure. The gateway bundle marks such a
     * clean stop (only when the JVM was not already exiting), and this hook turns it into status 0. Any other
     * exit keeps its status.
     */
    private static void exitCleanlyAfterAStopFromInside() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (Boolean.getBoolean(STOPPED_CLEANLY)) {
                // the framework has stopped (bnd's launcher exits only then); SIGTERM's path prints this line itself
                System.out.println("EdgeHA gateway stopped");
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
        }, "edgeha-exit-status"));
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void fail(String message) {
        System.err.println("edgeha: cannot start: " + message);
        System.exit(EXIT_BAD_SETTINGS);
    }

    private static void usage(PrintStream out) {
        out.println("Usage: java [-Dkey=value ...] -jar edgeha-gateway.jar [--key=value ...]");
        out.println("       java -jar edgeha-gateway.jar sign keygen|request ...  (sign remote deployment requests;"
                + " sign --help)");
        out.println();
        out.println("  --" + GatewaySettings.HOME + "=DIR     folder for etc/, deploy/ and data/ (default: working directory)");
        out.println("  --" + GatewaySettings.NODE + "=N       node number, unique in the domain (default "
                + GatewaySettings.DEFAULT_NODE + ")");
        out.println("  --" + GatewaySettings.DOMAIN + "=NAME  domain name (default " + GatewaySettings.DEFAULT_DOMAIN + ")");
        out.println("  --" + GatewaySettings.BROKER + "=URI   MQTT broker (default " + GatewaySettings.DEFAULT_BROKER + ")");
        out.println("  --" + GatewaySettings.CONSOLE + "=true|false|auto  interactive Gogo shell (default auto)");
        out.println();
        out.println("Other settings come from ConfigAdmin files in ${edgeha.home}/etc.");
    }
}
