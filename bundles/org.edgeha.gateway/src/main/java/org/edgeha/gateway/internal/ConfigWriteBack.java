package org.edgeha.gateway.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgeha.gateway.api.Gateway;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Writes a configuration changed at run time through ConfigAdmin ({@code config:set}, an API call, a web console) back
 * to {@code etc/}, so that it survives a restart: ConfigAdmin keeps configurations in memory only
 * ({@code felix.cm.pm=memory}: its file store would copy secrets into {@code data/felix-cache}), and {@code etc/},
 * read by FileInstall at every start, stays the one place configurations and their secrets are kept.
 *
 * <ul>
 * <li>A configuration read from {@code etc/PID.cfg} is written back to that file, updated in place (comments and
 * key order stay); one read from a {@code .config} or {@code .json} file is not (a warning says so, once).</li>
 * <li>A configuration with no file gets {@code etc/PID.cfg} ({@code etc/factoryPid-name.cfg} for a named factory
 * configuration); an unnamed factory configuration has no file name FileInstall maps back to it and is not written
 * (a warning says so, once).</li>
 * <li>A deleted configuration's file is deleted (while the framework runs: a stopping gateway deletes nothing).</li>
 * <li>Files are written owner-only ({@code rw-------}) in one step; values are not logged, only the changed keys.</li>
 * <li>FileInstall's own configurations and files outside {@code etc/} are left alone.</li>
 * </ul>
 * An update that leaves the file's content as it is (FileInstall applying the file itself) writes nothing, so an
 * operator's edit of {@code etc/} and a write-back never chase each other.
 *
 * <p>Threads: ConfigAdmin calls the listener on its own event thread, one event at a time; the write happens there.
 */
@Component(immediate = true)
public class ConfigWriteBack implements ConfigurationListener {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)\\}");

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final Logger log;
    private final Path etc;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Activate
    public ConfigWriteBack(BundleContext context, @Reference Gateway gateway, @Reference ConfigurationAdmin configAdmin,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.log = log;
        this.etc = gateway.settings().etc().toAbsolutePath().normalize();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        if (pid.startsWith("org.apache.felix.fileinstall")) {
            return;
        }
        try {
            if (event.getType() == ConfigurationEvent.CM_UPDATED) {
                updated(pid, event.getFactoryPid());
            } else if (event.getType() == ConfigurationEvent.CM_DELETED) {
                deleted(pid, event.getFactoryPid());
            }
        } catch (IOException | RuntimeException e) {
            log.error("Configuration {} changed at run time, but it cannot be written to {}: {}", pid, etc, e.toString());
        }
    }

    private void updated(String pid, String factoryPid) throws IOException {
        Configuration config = find(pid);
        Dictionary<String, Object> properties = config == null ? null : config.getProperties();
        if (properties == null) {
            return;
        }
        Path file = target(pid, factoryPid, properties.get("felix.fileinstall.filename"));
        if (file == null) {
            return;
        }
        Map<String, String> values = ConfigFile.values(properties);
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        Map<String, String> before = expanded(ConfigFile.read(String.join("\n", lines)));
        if (before.equals(values)) {
            return; // the file says this already (FileInstall applied it, or nothing changed)
        }
        List<String> updated = ConfigFile.update(lines, values, List.of("Configuration " + pid
                + ", written by the gateway when it was changed at run time (ConfigAdmin); edit it freely."));
        OwnerOnly.replace(file, String.join(System.lineSeparator(), updated) + System.lineSeparator());
        Set<String> changed = new TreeSet<>(values.keySet());
        changed.addAll(before.keySet());
        changed.removeIf(k -> java.util.Objects.equals(values.get(k), before.get(k)));
        log.info("Configuration {} changed at run time: written to etc/{} (keys {})", pid, etc.relativize(file), changed);
    }

    private void deleted(String pid, String factoryPid) throws IOException {
        if (context.getBundle(0).getState() != Bundle.ACTIVE || context.getBundle().getState() != Bundle.ACTIVE) {
            return; // a stopping gateway deletes no file
        }
        String name = ConfigFile.fileName(pid, factoryPid);
        if (name == null) {
            return;
        }
        Path file = etc.resolve(name);
        if (Files.deleteIfExists(file)) {
            log.info("Configuration {} deleted at run time: etc/{} deleted", pid, name);
        }
    }

    /** @return the file to write, or {@code null} when this configuration is not written back */
    private Path target(String pid, String factoryPid, Object fileInstallName) {
        if (fileInstallName != null) {
            Path file;
            try {
                file = Path.of(URI.create(fileInstallName.toString())).toAbsolutePath().normalize();
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                file = Path.of(fileInstallName.toString()).toAbsolutePath().normalize();
            }
            if (!file.startsWith(etc)) {
                return null; // read from elsewhere (deploy/): not ours to write
            }
            if (!file.getFileName().toString().endsWith(".cfg")) {
                warnOnce(pid, "Configuration {} changed at run time is not written back to {}: only .cfg files are;"
                        + " the change is lost at the next start unless the file is edited", pid, file);
                return null;
            }
            return file;
        }
        String name = ConfigFile.fileName(pid, factoryPid);
        if (name == null) {
            warnOnce(pid, "Configuration {} changed at run time is not written to etc/: {}; the change is lost at the"
                    + " next start", pid, factoryPid != null
                            ? "an unnamed factory configuration has no file name (create it as a named one, or as"
                                    + " etc/" + factoryPid + "-NAME.cfg)"
                            : "FileInstall would read a file named after it as a factory configuration ('-' in the PID)");
            return null;
        }
        return etc.resolve(name);
    }

    private void warnOnce(String pid, String format, Object... args) {
        if (warned.add(pid)) {
            log.warn(format, args);
        }
    }

    private Configuration find(String pid) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + escape(pid) + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (InvalidSyntaxException e) {
            return null;
        }
    }

    /** @return the file's values with {@code ${name}} replaced as FileInstall does (same file, then the framework) */
    private Map<String, String> expanded(Map<String, String> raw) {
        Map<String, String> out = new TreeMap<>();
        raw.forEach((k, v) -> {
            Matcher m = VARIABLE.matcher(v);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String value = raw.containsKey(name) ? raw.get(name) : context.getProperty(name);
                m.appendReplacement(b, Matcher.quoteReplacement(value != null ? value : m.group()));
            }
            m.appendTail(b);
            out.put(k, b.toString());
        });
        return out;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
