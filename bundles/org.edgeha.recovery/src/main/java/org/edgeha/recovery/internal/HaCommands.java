package org.edgeha.recovery.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.ControlCommand;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code ha:} Gogo scope for operators. Every command answers with text; a bad argument or an
 * unknown connection gets one line saying so, never a stack trace.
 */
@Component(service = HaCommands.class, property = {
        "osgi.command.scope=ha",
        "osgi.command.function=list",
        "osgi.command.function=connect",
        "osgi.command.function=send",
        "osgi.command.function=detach",
        "osgi.command.function=close",
        "osgi.command.function=ctrl",
        "osgi.command.function=functions"
})
public class HaCommands {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_REPLY_BYTES = 64 * 1024;

    private final HaConnections connections;

    @Activate
    public HaCommands(@Reference HaConnections connections) {
        this.connections = connections;
    }

    /** {@code ha:list}: every connection with its state, recovery function and counters. */
    public String list() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%5s %-16s %-5s %-24s %-10s %6s %6s %8s  %s%n",
                "COID", "NAME", "KIND", "ENDPOINT", "STATE", "OK", "FAILED", "LAST-MS", "RECOVERED BY"));
        for (ConnectionInfo c : connections.connections()) {
            out.append(String.format(Locale.ROOT, "%5d %-16s %-5s %-24s %-10s %6d %6d %8s  %s%n", c.coid(), c.name(),
                    c.kind(), c.endpoint(), c.suspended() ? "SUSPENDED" : c.state(), c.recoveriesSucceeded(),
                    c.recoveriesFailed(), c.lastRecoveryMillis() < 0 ? "-" : Long.toString(c.lastRecoveryMillis()),
                    c.haAware() ? c.recoveryFunction() : "not HA-aware"));
        }
        return out.toString();
    }

    /** {@code ha:connect <name> <host:port>}: an HA-aware TCP connection recovered by the whiteboard. */
    public String connect(String name, String endpoint) {
        try {
            Optional<Integer> existing = connections.find(name);
            if (existing.isPresent()) {
                // a second one would make every command by name act on the first match only (issue 14)
                return "ha:connect: the name '" + name + "' is in use by connection " + existing.get()
                        + "; choose another name, or ha:close " + existing.get() + " first";
            }
            int coid = connections.connectAttach(name, TcpType.parse(endpoint), CONNECT_TIMEOUT, null, null, 0);
            return "connection " + coid + " (" + name + ") to " + endpoint + ", recovered by "
                    + connections.info(coid).map(ConnectionInfo::recoveryFunction).orElse("?");
        } catch (IllegalArgumentException | HaException e) {
            return "ha:connect: " + e.getMessage();
        } catch (IOException e) {
            return "ha:connect: cannot connect to " + endpoint + ": " + e;
        }
    }

    /** {@code ha:send <coid|name> <text>}: writes the text and a newline, prints the one-line reply. */
    public String send(String connection, String text) {
        try {
            int coid = resolve(connection);
            return connections.invoke(coid, SocketChannel.class, channel -> {
                LineIo.writeLine(channel, text);
                return LineIo.readLine(channel, MAX_REPLY_BYTES);
            });
        } catch (IllegalArgumentException | HaException e) {
            return "ha:send: " + e.getMessage();
        } catch (IOException e) {
            return "ha:send: " + connection + ": " + e;
        }
    }

    /** {@code ha:detach <coid|name>}: no more recovery for it. */
    public String detach(String connection) {
        try {
            int coid = resolve(connection);
            String owned = ownedRefusal("ha:detach", coid);
            if (owned != null) {
                return owned;
            }
            connections.detach(coid);
            return "connection " + coid + " is no longer HA-aware";
        } catch (IllegalArgumentException | HaException e) {
            return "ha:detach: " + e.getMessage();
        }
    }

    /** {@code ha:close <coid|name>}: detach and close. */
    public String close(String connection) {
        try {
            int coid = resolve(connection);
            String owned = ownedRefusal("ha:close", coid);
            if (owned != null) {
                return owned;
            }
            connections.close(coid);
            return "connection " + coid + " closed";
        } catch (IllegalArgumentException | HaException e) {
            return "ha:close: " + e.getMessage();
        } catch (IOException e) {
            return "ha:close: closed, but closing the resource failed: " + e;
        }
    }

    /** {@code ha:ctrl <coid|name> suspend|enable|reset-icount|reset-acount}. */
    public String ctrl(String connection, String command) {
        return ctrl(connection, command, "0");
    }

    /** {@code ha:ctrl <coid|name> icount|acount <limit>} (negative = unlimited). */
    public String ctrl(String connection, String command, String value) {
        try {
            int coid = resolve(connection);
            String owned = ownedRefusal("ha:ctrl", coid);
            if (owned != null) {
                return owned;
            }
            ControlCommand cmd;
            try {
                cmd = ControlCommand.valueOf(command.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                return "ha:ctrl: unknown command '" + command
                        + "' (suspend, enable, icount N, acount N, reset-icount, reset-acount)";
            }
            int limit;
            try {
                limit = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                return "ha:ctrl: '" + value + "' is not a number";
            }
            connections.control(coid, cmd, limit);
            return "connection " + coid + ": " + cmd + (cmd == ControlCommand.ICOUNT || cmd == ControlCommand.ACOUNT
                    ? " " + limit : "");
        } catch (IllegalArgumentException | HaException e) {
            return "ha:ctrl: " + e.getMessage();
        }
    }

    /** {@code ha:functions}: the whiteboard recovery functions, best first, and rejected ones. */
    public String functions() {
        var lines = connections.recoveryFunctions();
        return lines.isEmpty() ? "no whiteboard recovery function is registered" : String.join(System.lineSeparator(), lines);
    }

    /**
     * @return the refusal for a connection the runtime owns ({@link ConnectionInfo#OWNER}), or {@code null}: closing
     *     the MQTT link from the shell left it dead until a restart (issue 14)
     */
    private String ownedRefusal(String command, int coid) {
        ConnectionInfo info = connections.info(coid).orElse(null);
        Object owner = info == null ? null : info.properties().get(ConnectionInfo.OWNER);
        if (owner == null) {
            return null;
        }
        Object instead = info.properties().get(ConnectionInfo.OWNER_COMMANDS);
        return command + ": connection " + coid + " (" + info.name() + ") is owned by " + owner + "; refused"
                + (instead == null ? "" : ": use " + instead);
    }

    private int resolve(String connection) {
        try {
            return Integer.parseInt(connection.trim());
        } catch (NumberFormatException notANumber) {
            return connections.find(connection.trim())
                    .orElseThrow(() -> new IllegalArgumentException("no connection named '" + connection + "'"));
        }
    }
}
