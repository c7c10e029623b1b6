package org.edgeha.recovery.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.apache.felix.service.command.Descriptor;
import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.ControlCommand;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code ha:} Gogo scope for operators. Every command answers with text; a bad argument or an
 * unknown connection gets one line saying so, never a stack trace. Each command carries Gogo's {@code @Descriptor}
 * ({@code help ha:ctrl}); wrong or missing arguments reach a {@code String...} overload that prints the usage
 * (docs/ARCHITECTURE.md, "Shell commands").
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

    static final String LIST_USAGE = "usage: ha:list (no arguments)";
    static final String CONNECT_USAGE = "usage: ha:connect <name> <host:port>   e.g. ha:connect plc1 10.0.0.7:502";
    static final String SEND_USAGE = "usage: ha:send <coid|name> <text>   (quote a text with spaces: ha:send plc1 'READ 40001')";
    static final String DETACH_USAGE = "usage: ha:detach <coid|name>";
    static final String CLOSE_USAGE = "usage: ha:close <coid|name>";
    static final String CTRL_USAGE = "usage: ha:ctrl <coid|name> suspend|enable|reset-icount|reset-acount,"
            + " or ha:ctrl <coid|name> icount|acount <limit>";
    static final String FUNCTIONS_USAGE = "usage: ha:functions (no arguments)";
    private static final String WRONG = "Wrong or missing arguments: prints the usage";
    private static final String AS_TYPED = "the arguments as typed";

    private final HaConnections connections;

    @Activate
    public HaCommands(@Reference HaConnections connections) {
        this.connections = connections;
    }

    /** {@code ha:list}: every connection with its state, recovery function and counters. */
    @Descriptor("Lists every connection: id, name, kind, endpoint, state, recoveries succeeded and failed, the last"
            + " recovery's time and the recovery function in charge. Example: ha:list")
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

    /** {@code ha:list} with arguments: the usage. */
    @Descriptor(WRONG)
    public String list(@Descriptor(AS_TYPED) String... wrong) {
        return LIST_USAGE;
    }

    /** {@code ha:connect <name> <host:port>}: an HA-aware TCP connection recovered by the whiteboard. */
    @Descriptor("Opens an HA-aware TCP connection, recovered by the best whiteboard recovery function; the name must"
            + " not be in use. Example: ha:connect plc1 10.0.0.7:502")
    public String connect(@Descriptor("<name> a name for the connection, unique on this gateway") String name,
            @Descriptor("<host:port> the endpoint to connect to") String endpoint) {
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

    /** {@code ha:connect} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String connect(@Descriptor(AS_TYPED) String... wrong) {
        return CONNECT_USAGE;
    }

    /** {@code ha:send <coid|name> <text>}: writes the text and a newline, prints the one-line reply. */
    @Descriptor("Writes a line of text on a TCP connection and prints the one-line reply. Example: ha:send plc1"
            + " 'READ 40001'")
    public String send(@Descriptor("<coid|name> the connection's id or name (ha:list)") String connection,
            @Descriptor("<text> the line to write (quote it if it has spaces)") String text) {
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

    /** {@code ha:send} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String send(@Descriptor(AS_TYPED) String... wrong) {
        return SEND_USAGE;
    }

    /** {@code ha:detach <coid|name>}: no more recovery for it. */
    @Descriptor("Stops recovering a connection (it stays open, no longer HA-aware); refused for a connection the"
            + " runtime owns. Example: ha:detach plc1")
    public String detach(@Descriptor("<coid|name> the connection's id or name (ha:list)") String connection) {
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

    /** {@code ha:detach} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String detach(@Descriptor(AS_TYPED) String... wrong) {
        return DETACH_USAGE;
    }

    /** {@code ha:close <coid|name>}: detach and close. */
    @Descriptor("Detaches and closes a connection; refused for a connection the runtime owns (the MQTT link)."
            + " Example: ha:close 3")
    public String close(@Descriptor("<coid|name> the connection's id or name (ha:list)") String connection) {
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

    /** {@code ha:close} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String close(@Descriptor(AS_TYPED) String... wrong) {
        return CLOSE_USAGE;
    }

    /** {@code ha:ctrl <coid|name> suspend|enable|reset-icount|reset-acount}. */
    @Descriptor("Controls a connection's recovery: suspend, enable, or reset a counter. Example: ha:ctrl plc1 suspend")
    public String ctrl(@Descriptor("<coid|name> the connection's id or name (ha:list)") String connection,
            @Descriptor("<command> suspend, enable, reset-icount or reset-acount") String command) {
        String c = command.trim().toLowerCase(Locale.ROOT);
        if (c.equals("icount") || c.equals("acount")) {
            return CTRL_USAGE; // a limit is missing: do not set it to 0
        }
        return ctrl(connection, command, "0");
    }

    /** {@code ha:ctrl <coid|name> icount|acount <limit>} (negative = unlimited). */
    @Descriptor("Sets a connection's limit of immediate (icount) or all (acount) recovery attempts; a negative limit"
            + " is unlimited. Example: ha:ctrl plc1 icount 5")
    public String ctrl(@Descriptor("<coid|name> the connection's id or name (ha:list)") String connection,
            @Descriptor("<command> icount or acount") String command,
            @Descriptor("<limit> the number of attempts, negative for unlimited") String value) {
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

    /** {@code ha:ctrl} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String ctrl(@Descriptor(AS_TYPED) String... wrong) {
        return CTRL_USAGE;
    }

    /** {@code ha:functions}: the whiteboard recovery functions, best first, and rejected ones. */
    @Descriptor("Lists the whiteboard recovery functions, best first, and those rejected with the reason."
            + " Example: ha:functions")
    public String functions() {
        var lines = connections.recoveryFunctions();
        return lines.isEmpty() ? "no whiteboard recovery function is registered" : String.join(System.lineSeparator(), lines);
    }

    /** {@code ha:functions} with arguments: the usage. */
    @Descriptor(WRONG)
    public String functions(@Descriptor(AS_TYPED) String... wrong) {
        return FUNCTIONS_USAGE;
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
