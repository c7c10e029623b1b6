package org.edgeha.webconsole.internal;

import java.io.PrintWriter;
import java.util.List;

import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.ControlCommand;
import org.edgeha.recovery.api.HaConnections;
import org.edgeha.recovery.api.HaException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The "HA connections" page: every open connection of the recovery service with its state, counters and the
 * recovery function in charge, and the whiteboard's recovery functions. Actions: suspend and resume recovery
 * ({@code ha_connection_ctrl} SUSPEND / ENABLE) of an HA-aware connection that the runtime does not own; a connection
 * with an owner ({@link ConnectionInfo#OWNER}, e.g. the MQTT bridge's) offers none, and says what to use instead, as
 * the {@code ha:} commands do. Closing, detaching and limits are left to the shell ({@code ha:}): they are not undone
 * by a click.
 *
 * <p>Threads: as {@link EdgePage}; the recovery service's calls used here return at once.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + ConnectionsPage.LABEL,
        "felix.webconsole.title=HA connections",
        "felix.webconsole.category=" + EdgePage.CATEGORY
})
public class ConnectionsPage extends EdgePage {

    private static final long serialVersionUID = 1L;
    static final String LABEL = "edgeha-connections";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HaConnections connections;

    @Activate
    public ConnectionsPage(@Reference PasswordGuard guard) {
        super(guard);
    }

    @Override
    void render(PrintWriter out, HttpServletRequest request) {
        HaConnections ha = connections;
        if (ha == null) {
            out.println("<p class='statline'>The connection recovery service is not running (feature recovery).</p>");
            return;
        }
        out.print(table(ha.connections(), ha.recoveryFunctions()));
    }

    /** @return the page body for these connections and recovery functions */
    String table(List<ConnectionInfo> all, List<String> functions) {
        StringBuilder b = new StringBuilder();
        b.append("<p class='statline'>").append(all.size()).append(all.size() == 1 ? " connection" : " connections")
                .append(", ").append(all.stream().filter(ConnectionInfo::haAware).count()).append(" HA-aware</p>");
        b.append("<table class='nicetable' id='edgeha-connections'><thead><tr><th>coid</th><th>Name</th><th>Kind</th>"
                + "<th>Endpoint</th><th>State</th><th>Recovery function</th><th>Recoveries ok/failed</th>"
                + "<th>Last recovery</th><th>ICOUNT</th><th>ACOUNT</th><th>Actions</th></tr></thead><tbody>");
        if (all.isEmpty()) {
            b.append("<tr><td colspan='11'>no open connection</td></tr>");
        }
        for (ConnectionInfo c : all) {
            b.append("<tr data-connection='").append(a(c.name())).append("'><td>").append(c.coid())
                    .append("</td><td>").append(h(c.name())).append("</td><td>")
                    .append(h(c.kind())).append("</td><td>").append(h(c.endpoint())).append("</td><td>")
                    .append("<span class='edgeha-state'>").append(h(c.state())).append(c.suspended() ? " (recovery suspended)" : "")
                    .append(c.haAware() ? "" : " (not HA-aware)").append("</span></td><td>").append(h(c.recoveryFunction()))
                    .append("</td><td>").append(c.recoveriesSucceeded()).append(" / ").append(c.recoveriesFailed())
                    .append("</td><td>").append(c.lastRecoveryMillis() < 0 ? "-" : c.lastRecoveryMillis() + " ms")
                    .append("</td><td>").append(limit(c.icount(), c.icountLimit())).append("</td><td>")
                    .append(limit(c.acount(), c.acountLimit())).append("</td><td>").append(actions(c))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
        b.append("<h3>Recovery functions (whiteboard, best first)</h3><ul id='edgeha-recovery-functions'>");
        if (functions.isEmpty()) {
            b.append("<li>none registered</li>");
        }
        functions.forEach(f -> b.append("<li>").append(h(f)).append("</li>"));
        b.append("</ul>");
        return b.toString();
    }

    private static String limit(int count, int limit) {
        return count + (limit < 0 ? " (no limit)" : " of " + limit);
    }

    private String actions(ConnectionInfo c) {
        Object owner = c.properties().get(ConnectionInfo.OWNER);
        if (owner != null) {
            Object instead = c.properties().get(ConnectionInfo.OWNER_COMMANDS);
            return "owned by " + h(owner) + (instead != null ? ": " + h(instead) : "");
        }
        if (!c.haAware()) {
            return "-";
        }
        String coid = hiddenField("coid", String.valueOf(c.coid()));
        return c.suspended() ? form("resume", "Resume recovery", coid, "")
                : form("suspend", "Suspend recovery", coid, "");
    }

    @Override
    String act(String action, HttpServletRequest request) {
        HaConnections ha = connections;
        if (ha == null) {
            return "the connection recovery service is not running";
        }
        int coid;
        try {
            coid = Integer.parseInt(String.valueOf(request.getParameter("coid")));
        } catch (NumberFormatException e) {
            return action + ": no connection id given";
        }
        ConnectionInfo info = ha.info(coid).orElse(null);
        if (info == null) {
            return action + ": connection " + coid + " is not open";
        }
        if (info.properties().containsKey(ConnectionInfo.OWNER)) {
            return action + " refused: connection " + coid + " (" + info.name() + ") is owned by "
                    + info.properties().get(ConnectionInfo.OWNER);
        }
        ControlCommand command = switch (action) {
            case "suspend" -> ControlCommand.SUSPEND;
            case "resume" -> ControlCommand.ENABLE;
            default -> null;
        };
        if (command == null) {
            return "unknown action " + action;
        }
        try {
            ha.control(coid, command, 0);
        } catch (HaException e) {
            return action + " of connection " + coid + " (" + info.name() + ") failed: " + e.getMessage();
        }
        return "recovery of connection " + coid + " (" + info.name() + ") "
                + (command == ControlCommand.SUSPEND ? "suspended" : "resumed") + " from the web console";
    }
}
