package org.edgeha.webconsole.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.felix.service.command.Descriptor;
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
 * Keeps the web console off its stock password. The Felix Web Console accepts {@code admin}/{@code admin} until its
 * configuration (PID {@value #PID}, property {@code password}) says otherwise. EdgeHA warns rather than refuses:
 * refusing would leave an operator who just installed the feature on a gateway in a plant without the console and
 * without a way to set the password from it, while the console is bound to 127.0.0.1 by default (features/http.json),
 * so only someone already on the gateway (or with an SSH tunnel to it) reaches it. The warning is a WARN line (in
 * the log file and, at the default console level, on the console) each time this bundle starts, which is every start
 * of a gateway that has the feature, and again whenever the configuration goes back to the stock password; every
 * EdgeHA page shows it too. {@code webconsole:password} stores a password hashed (salted SHA-256, 1000 rounds, the
 * console's own format) in ConfigAdmin, which writes it back to {@code etc/} owner-only (and nowhere else).
 *
 * <p>Threads: {@link #configurationEvent} runs on ConfigAdmin's event thread; {@link #stockPasswordInUse} may be
 * called from any thread and never blocks; {@link #password} blocks briefly on ConfigAdmin (and its write-back).
 */
@Component(service = {PasswordGuard.class, ConfigurationListener.class}, immediate = true, property = {
        "osgi.command.scope=webconsole",
        "osgi.command.function=password"
})
public class PasswordGuard implements ConfigurationListener {

    /** The web console's configuration PID. */
    static final String PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    /** The framework property the console falls back on when its configuration has no password. */
    static final String FRAMEWORK_PASSWORD = "felix.webconsole.password";
    static final String WARNING = "The web console accepts the stock password admin/admin. Set one in the gateway's"
            + " shell: webconsole:password <new password> (stored hashed in ConfigAdmin, PID " + PID
            + ", and in etc/" + PID + ".cfg)";
    static final String USAGE = "usage: webconsole:password <new password>   e.g. webconsole:password 'long secret'"
            + " (at least 8 characters; quote one with spaces)";
    static final int MIN_LENGTH = 8;

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final Logger log;
    private volatile boolean stock;

    @Activate
    public PasswordGuard(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.log = log;
        this.stock = computeStock();
        if (stock) {
            log.warn(WARNING);
        }
    }

    /** @return whether the console accepts the stock password now */
    public boolean stockPasswordInUse() {
        return stock;
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!PID.equals(event.getPid())) {
            return;
        }
        boolean was = stock;
        stock = computeStock();
        if (stock && !was) {
            log.warn(WARNING);
        } else if (!stock && was) {
            log.info("The web console's password is set (PID {}): the stock admin/admin is no longer accepted", PID);
        }
    }

    private boolean computeStock() {
        Object configured = null;
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + PID + ")");
            if (found != null && found.length > 0 && found[0].getProperties() != null) {
                configured = found[0].getProperties().get("password");
            }
        } catch (IOException | InvalidSyntaxException e) {
            log.warn("Cannot read the web console's configuration {}: {}", PID, e.toString());
        }
        if (configured == null) {
            configured = context.getProperty(FRAMEWORK_PASSWORD);
        }
        return configured == null || WebConsolePassword.matches(configured.toString(), WebConsolePassword.STOCK);
    }

    /** {@code webconsole:password <new password>}. */
    @Descriptor("Sets the web console's password (user name unchanged, admin by default), stored hashed in ConfigAdmin"
            + " (PID " + PID + ") and written back to etc/; takes effect at once. Example: webconsole:password"
            + " 'long secret'")
    public String password(@Descriptor("<new password> at least 8 characters, not admin") String password) {
        if (password.length() < MIN_LENGTH || WebConsolePassword.STOCK.equals(password)) {
            return "refused: the password must have at least " + MIN_LENGTH + " characters and not be admin" + System
                    .lineSeparator() + USAGE;
        }
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + PID + ")");
            Configuration c = found != null && found.length > 0 ? found[0] : configAdmin.getConfiguration(PID, "?");
            Dictionary<String, Object> properties = c.getProperties() != null ? c.getProperties() : new Hashtable<>();
            properties.put("password", WebConsolePassword.hash(password));
            c.update(properties);
        } catch (IOException | InvalidSyntaxException e) {
            return "the password was not set: " + e.getMessage();
        }
        log.info("Web console password set through webconsole:password (PID {})", PID);
        return "web console password set (stored hashed, PID " + PID + "); log in again with the new password";
    }

    /** {@code webconsole:password} with wrong or missing arguments: the usage. */
    @Descriptor("Wrong or missing arguments: prints the usage")
    public String password(@Descriptor("the arguments as typed") String... wrong) {
        return USAGE;
    }
}
