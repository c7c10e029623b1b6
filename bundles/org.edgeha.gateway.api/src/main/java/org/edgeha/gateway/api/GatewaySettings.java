package org.edgeha.gateway.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The essential settings of a gateway (SPEC section 0), read once at start-up from system
 * properties, {@code --key=value} arguments or framework properties. Immutable and thread-safe.
 *
 * <p>Everything else is configured through ConfigAdmin (files in {@code ${edgeha.home}/etc}).
 */
public final class GatewaySettings {

    /** Folder holding {@code etc/}, {@code deploy/} and {@code data/}; default: the working directory. */
    public static final String HOME = "edgeha.home";
    /** Node number, a positive int unique in the domain; default {@value #DEFAULT_NODE}. */
    public static final String NODE = "edgeha.node";
    /** Domain name, the MQTT topic root {@code edgeha/{domain}/}; default {@value #DEFAULT_DOMAIN}. */
    public static final String DOMAIN = "edgeha.domain";
    /** Broker URI, {@code tcp://host:port} or {@code ssl://host:port}; default {@value #DEFAULT_BROKER}. */
    public static final String BROKER = "edgeha.broker";
    /**
     * Console mode: {@code true} (interactive Gogo shell), {@code false} (none, for service use) or
     * {@code auto} (interactive when standard input is a terminal); default {@code auto}.
     */
    public static final String CONSOLE = "edgeha.console";

    public static final int DEFAULT_NODE = 1;
    public static final String DEFAULT_DOMAIN = "default";
    public static final String DEFAULT_BROKER = "tcp://127.0.0.1:1883";

    /** Domain names become MQTT topic levels, so no wildcards, separators or blanks. */
    private static final Pattern DOMAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path home;
    private final int node;
    private final String domain;
    private final URI broker;
    private final Boolean console;

    private GatewaySettings(Path home, int node, String domain, URI broker, Boolean console) {
        this.home = home;
        this.node = node;
        this.domain = domain;
        this.broker = broker;
        this.console = console;
    }

    /**
     * Reads and checks the settings.
     *
     * @param lookup gives the raw value of a setting by name, or {@code null} when it is not set
     *     (for example {@code System::getProperty} or {@code BundleContext::getProperty})
     * @return the settings, with defaults for those not set
     * @throws InvalidSettingException naming the first setting that is wrong; the home folder is
     *     checked to be an existing, readable and writable directory
     */
    public static GatewaySettings from(UnaryOperator<String> lookup) {
        Objects.requireNonNull(lookup, "lookup");
        return new GatewaySettings(
                parseHome(lookup.apply(HOME)),
                parseNode(lookup.apply(NODE)),
                parseDomain(lookup.apply(DOMAIN)),
                parseBroker(lookup.apply(BROKER)),
                parseConsole(lookup.apply(CONSOLE)));
    }

    private static Path parseHome(String raw) {
        String value = blankToNull(raw) == null ? System.getProperty("user.dir") : raw.trim();
        Path path;
        try {
            path = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InvalidSettingException(HOME, HOME + "='" + raw + "' is not a valid path: " + e.getReason());
        }
        if (!Files.isDirectory(path)) {
            throw new InvalidSettingException(HOME, HOME + "='" + value + "' is not a directory");
        }
        if (!Files.isReadable(path) || !Files.isWritable(path) || !Files.isExecutable(path)) {
            throw new InvalidSettingException(HOME,
                    HOME + "='" + value + "' must be readable and writable by this user");
        }
        return path;
    }

    private static int parseNode(String raw) {
        if (blankToNull(raw) == null) {
            return DEFAULT_NODE;
        }
        try {
            int node = Integer.parseInt(raw.trim());
            if (node > 0) {
                return node;
            }
        } catch (NumberFormatException e) {
            // reported below with the one message for every bad form
        }
        throw new InvalidSettingException(NODE,
                NODE + "='" + raw + "' must be a positive integer (1 to " + Integer.MAX_VALUE + ")");
    }

    private static String parseDomain(String raw) {
        if (blankToNull(raw) == null) {
            return DEFAULT_DOMAIN;
        }
        String value = raw.trim();
        if (!DOMAIN_NAME.matcher(value).matches()) {
            throw new InvalidSettingException(DOMAIN, DOMAIN + "='" + raw
                    + "' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return value;
    }

    private static URI parseBroker(String raw) {
        String value = blankToNull(raw) == null ? DEFAULT_BROKER : raw.trim();
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (("tcp".equals(scheme) || "ssl".equals(scheme)) && uri.getHost() != null && uri.getPort() > 0) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new InvalidSettingException(BROKER,
                BROKER + "='" + raw + "' must look like tcp://host:port or ssl://host:port");
    }

    private static Boolean parseConsole(String raw) {
        String value = blankToNull(raw) == null ? "auto" : raw.trim().toLowerCase(java.util.Locale.ROOT);
        switch (value) {
            case "auto":
                return null;
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                throw new InvalidSettingException(CONSOLE, CONSOLE + "='" + raw + "' must be true, false or auto");
        }
    }

    private static String blankToNull(String raw) {
        return raw == null || raw.isBlank() ? null : raw;
    }

    /** @return the absolute, normalised home folder */
    public Path home() {
        return home;
    }

    /** @return {@code ${edgeha.home}/etc}: ConfigAdmin files watched by FileInstall */
    public Path etc() {
        return home.resolve("etc");
    }

    /** @return {@code ${edgeha.home}/deploy}: bundles and features installed by dropping them here */
    public Path deploy() {
        return home.resolve("deploy");
    }

    /** @return {@code ${edgeha.home}/data}: the runtime's own state (framework cache, logs, stores) */
    public Path data() {
        return home.resolve("data");
    }

    /** @return the node number, positive */
    public int node() {
        return node;
    }

    /** @return the domain name */
    public String domain() {
        return domain;
    }

    /** @return the broker URI */
    public URI broker() {
        return broker;
    }

    /**
     * @param stdinIsTerminal whether standard input is a terminal, used in {@code auto} mode
     * @return whether the interactive console runs
     */
    public boolean interactiveConsole(boolean stdinIsTerminal) {
        return console == null ? stdinIsTerminal : console;
    }

    @Override
    public String toString() {
        return "node=" + node + ", domain=" + domain + ", home=" + home + ", broker=" + broker;
    }
}
