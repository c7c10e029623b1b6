package org.edgeha.examples.groups;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.edgeha.gs.api.AttributeChangeRequest;
import org.edgeha.gs.api.DelayedErrorCallback;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.ExpelRequest;
import org.edgeha.gs.api.GsWhiteboard;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.LeaveRequest;
import org.edgeha.gs.api.MessageRequest;
import org.edgeha.gs.api.NumPhases;
import org.edgeha.gs.api.Request;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.SubscribeRequest;
import org.edgeha.gs.api.Voting;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A whiteboard {@link DelayedErrorCallback} that logs each delayed error at WARN in one line: group,
 * request type, return code and the failing request, for example
 * {@code Delayed error in group line1: JOIN failed with DUPLICATE_INSTANCE_NUMBER: join as instance 1 ("example approve-all")}.
 *
 * <p>It serves every client of this gateway, or, with {@code gs.client.name} in
 * {@code etc/org.edgeha.examples.groups.errors.cfg}, the clients of that name ({@code gs.whiteboard} for
 * whiteboard providers, {@code gs.shell} for the shell). The configuration's properties become the
 * service's properties, so the engine's whiteboard reads {@code gs.client.name} itself; a changed
 * configuration reactivates the component, which registers it again with the new selection.
 *
 * <p><b>Threads.</b> Called on the engine's callback threads, as part of each client's serial stream of
 * callbacks (so one at a time per client, but several clients at once); it keeps no state.
 */
@Component(configurationPid = DelayedErrorLogger.PID, immediate = true)
@Designate(ocd = DelayedErrorLogger.Config.class)
public class DelayedErrorLogger implements DelayedErrorCallback {

    /** PID of the optional configuration. */
    static final String PID = "org.edgeha.examples.groups.errors";

    @ObjectClassDefinition(name = "EdgeHA example: delayed-error logger",
            description = "Logs each Group Services delayed error of this gateway's clients in one line.")
    @interface Config {
        @AttributeDefinition(name = "Clients", required = false, description = "Names of the clients whose "
                + "delayed errors are logged (gs.whiteboard, gs.shell, ...); none: every client")
        String[] gs_client_name();
    }

    private final Logger log;

    @Activate
    public DelayedErrorLogger(@Reference(service = LoggerFactory.class) final Logger log,
            final Map<String, Object> properties) {
        this.log = log;
        List<String> clients = names(properties.get(GsWhiteboard.CLIENT_NAME));
        if (clients.stream().anyMatch(c -> c.contains(","))) {
            log.warn("Example delayed-error logger: {}={} is one client name with a comma in it; give several names "
                    + "as a list (in a .config file: gs.client.name=[\"a\",\"b\"])", GsWhiteboard.CLIENT_NAME, clients);
        }
        log.info("Example delayed-error logger: logs the delayed errors of {}",
                clients.isEmpty() ? "every client" : "the clients " + clients);
    }

    @Override
    public void delayedError(final DelayedErrorNotification n) {
        log.warn("Delayed error in group {}: {} failed with {}: {} ({})", n.group(), n.protocolType(), n.returnCode(),
                describe(n.failingRequest()), n.requestToken());
    }

    /** @return a short description of a request, without the callbacks it carries */
    static String describe(final Request r) {
        if (r instanceof JoinRequest j) {
            return "join as instance " + j.instance() + (j.localName().isEmpty() ? "" : " (\"" + j.localName() + "\")");
        } else if (r instanceof StateChangeRequest s) {
            return "state change to " + s.newState() + ", " + voting(s.voting());
        } else if (r instanceof MessageRequest m) {
            return "message " + m.message() + ", " + voting(m.voting());
        } else if (r instanceof LeaveRequest l) {
            return "leave with code " + l.leaveCode() + ", " + voting(l.voting());
        } else if (r instanceof ExpelRequest e) {
            return "expel " + e.expelList() + " (deactivate in phase " + e.deactivatePhase() + "), " + voting(e.voting());
        } else if (r instanceof AttributeChangeRequest a) {
            return "attribute change to " + a.newAttributes() + ", " + voting(a.voting());
        } else if (r instanceof SubscribeRequest s) {
            return "subscribe to " + s.flags();
        }
        return String.valueOf(r);
    }

    private static String voting(final Voting v) {
        if (v.phases() == NumPhases.ONE) {
            return "one-phase";
        }
        Duration limit = v.timeLimit();
        return "n-phase, " + (limit.isZero() ? "no time limit" : limit.toMillis() + " ms a phase");
    }

    private static List<String> names(final Object value) {
        if (value instanceof String s) {
            return List.of(s);
        } else if (value instanceof String[] a) {
            return Arrays.asList(a);
        } else if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
