package org.edgeha.gateway.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code config:} Gogo scope: lists, shows and changes ConfigAdmin configurations at run time. A change is written
 * back to {@code etc/} by {@link ConfigWriteBack}, so it survives a restart. Private properties (a name starting with
 * '.', such as {@code .password}) are shown masked. Commands return after ConfigAdmin took the change; components
 * receive it on ConfigAdmin's thread shortly after. Each command carries Gogo's {@code @Descriptor}; wrong arguments
 * reach a {@code String...} overload that prints the usage.
 */
@Component(service = ConfigCommands.class, property = {
        "osgi.command.scope=config",
        "osgi.command.function=list",
        "osgi.command.function=get",
        "osgi.command.function=set",
        "osgi.command.function=delete"
})
public class ConfigCommands {

    static final String LIST_USAGE = "usage: config:list [<text>]   e.g. config:list mqtt";
    static final String GET_USAGE = "usage: config:get <pid>   e.g. config:get org.edgeha.mqtt";
    static final String SET_USAGE = "usage: config:set <pid> <key> <value>   e.g. config:set org.edgeha.mqtt keepalive.s 5";
    static final String DELETE_USAGE = "usage: config:delete <pid> [<key>]   e.g. config:delete org.edgeha.mqtt keepalive.s";
    static final String MASK = "********";
    private static final String WRONG = "Wrong or missing arguments: prints the usage";
    private static final String AS_TYPED = "the arguments as typed";
    private static final String PID = "<pid> the configuration's PID (factoryPid~name for a named factory configuration)";

    private final ConfigurationAdmin configAdmin;

    @Activate
    public ConfigCommands(@Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    /** {@code config:list}: every configuration's PID and number of properties. */
    @Descriptor("Lists the configurations ConfigAdmin holds: PID and how many properties. Example: config:list")
    public String list() {
        return list("");
    }

    /** {@code config:list <text>}: the configurations whose PID contains the text. */
    @Descriptor("Lists the configurations whose PID contains the text. Example: config:list mqtt")
    public String list(@Descriptor("<text> part of the PID") String text) {
        List<String> lines = new ArrayList<>();
        for (Configuration c : all()) {
            if (c.getPid().contains(text)) {
                Dictionary<String, Object> p = c.getProperties();
                lines.add(c.getPid() + "  (" + (p == null ? 0 : ConfigFile.values(p).size()) + " properties)");
            }
        }
        lines.sort(null);
        return lines.isEmpty() ? "no configuration" + (text.isEmpty() ? "" : " whose PID contains " + text)
                : String.join(System.lineSeparator(), lines);
    }

    /** {@code config:list} with more arguments: the usage. */
    @Descriptor(WRONG)
    public String list(@Descriptor(AS_TYPED) String... wrong) {
        return LIST_USAGE;
    }

    /** {@code config:get <pid>}: one configuration's properties, private ones masked. */
    @Descriptor("Shows one configuration's properties (private ones, named .xxx, masked). Example: config:get org.edgeha.mqtt")
    public String get(@Descriptor(PID) String pid) {
        Configuration c = find(pid);
        Dictionary<String, Object> p = c == null ? null : c.getProperties();
        if (p == null) {
            return "config:get: no configuration " + pid + " (config:list)";
        }
        List<String> lines = new ArrayList<>(List.of("pid " + pid));
        for (Map.Entry<String, String> e : ConfigFile.values(p).entrySet()) {
            lines.add("  " + e.getKey() + " = " + (e.getKey().startsWith(".") ? MASK : e.getValue()));
        }
        return String.join(System.lineSeparator(), lines);
    }

    /** {@code config:get} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String get(@Descriptor(AS_TYPED) String... wrong) {
        return GET_USAGE;
    }

    /** {@code config:set <pid> <key> <value>}: sets one property (creating the configuration if needed). */
    @Descriptor("Sets one property of a configuration, creating it if needed; the change is applied now and written to"
            + " etc/ (it survives a restart). Example: config:set org.edgeha.mqtt keepalive.s 5")
    public String set(@Descriptor(PID) String pid, @Descriptor("<key> the property's name") String key,
            @Descriptor("<value> the new value (quote it if it has spaces)") String value) {
        if (ConfigFile.NOT_WRITTEN.contains(key)) {
            return "config:set: " + key + " is set by ConfigAdmin or FileInstall, not by hand";
        }
        try {
            Configuration c = findOrCreate(pid);
            Dictionary<String, Object> p = c.getProperties();
            Hashtable<String, Object> updated = new Hashtable<>();
            if (p != null) {
                for (var keys = p.keys(); keys.hasMoreElements();) {
                    String k = keys.nextElement();
                    updated.put(k, p.get(k));
                }
            }
            updated.put(key, value);
            c.update(updated);
            return "set " + key + " of " + pid + (key.startsWith(".") ? "" : " to " + value);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            return "config:set: " + e.getMessage();
        }
    }

    /** {@code config:set} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String set(@Descriptor(AS_TYPED) String... wrong) {
        return SET_USAGE;
    }

    /** {@code config:delete <pid>}: deletes a configuration (and its file in etc/). */
    @Descriptor("Deletes a configuration; its component goes back to its defaults and its file in etc/ is deleted."
            + " Example: config:delete org.edgeha.recovery.strategy.failover~line1")
    public String delete(@Descriptor(PID) String pid) {
        Configuration c = find(pid);
        if (c == null) {
            return "config:delete: no configuration " + pid + " (config:list)";
        }
        try {
            c.delete();
            return "deleted " + pid;
        } catch (IOException | IllegalStateException e) {
            return "config:delete: " + e.getMessage();
        }
    }

    /** {@code config:delete <pid> <key>}: removes one property. */
    @Descriptor("Removes one property of a configuration (the component takes its default). Example: config:delete"
            + " org.edgeha.mqtt keepalive.s")
    public String delete(@Descriptor(PID) String pid, @Descriptor("<key> the property to remove") String key) {
        Configuration c = find(pid);
        Dictionary<String, Object> p = c == null ? null : c.getProperties();
        if (p == null || p.get(key) == null) {
            return "config:delete: " + pid + " has no property " + key;
        }
        try {
            Hashtable<String, Object> updated = new Hashtable<>();
            for (var keys = p.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                if (!k.equals(key)) {
                    updated.put(k, p.get(k));
                }
            }
            c.update(updated);
            return "removed " + key + " from " + pid;
        } catch (IOException | IllegalStateException e) {
            return "config:delete: " + e.getMessage();
        }
    }

    /** {@code config:delete} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String delete(@Descriptor(AS_TYPED) String... wrong) {
        return DELETE_USAGE;
    }

    private List<Configuration> all() {
        try {
            Configuration[] found = configAdmin.listConfigurations(null);
            return found == null ? List.of() : Arrays.asList(found);
        } catch (IOException | InvalidSyntaxException e) {
            return List.of();
        }
    }

    private Configuration find(String pid) {
        return all().stream().filter(c -> c.getPid().equals(pid)).findFirst().orElse(null);
    }

    private Configuration findOrCreate(String pid) throws IOException {
        Configuration c = find(pid);
        if (c != null) {
            return c;
        }
        int tilde = pid.indexOf('~');
        // "?": bound to whichever bundle consumes it, as FileInstall's are
        return tilde > 0 ? configAdmin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?")
                : configAdmin.getConfiguration(pid, "?");
    }
}
