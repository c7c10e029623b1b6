package org.edgeha.gs.engine.osgi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupServices;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.MessageRequest;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SubscribeRequest;
import org.edgeha.gs.api.Voting;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code gs:} shell scope (SPEC 2.11): shows groups, and joins, proposes, broadcasts and leaves
 * through a shell-owned client whose providers approve every phase.
 *
 * <p>Immediate: the shell's client and providers live in this object, and a delayed component would be
 * disposed each time Gogo releases the service after a command, taking the shell's memberships with it.
 */
@Component(service = GsCommands.class, immediate = true, property = {
        "osgi.command.scope=gs",
        "osgi.command.function=groups",
        "osgi.command.function=view",
        "osgi.command.function=join",
        "osgi.command.function=state",
        "osgi.command.function=send",
        "osgi.command.function=leave",
        "osgi.command.function=subscribe"
})
public class GsCommands {

    /** The instance number of the shell's provider in each group. */
    static final int SHELL_INSTANCE = 9_999;

    private final GroupServices gs;
    private final Map<String, ShellProvider> providers = new TreeMap<>();
    private final Map<String, ShellProvider> watchers = new TreeMap<>();
    private GsClient client;

    @Activate
    public GsCommands(@Reference GroupServices gs) {
        this.gs = gs;
    }

    @Deactivate
    synchronized void deactivate() {
        if (client != null) {
            client.quit();
        }
    }

    private synchronized GsClient client() {
        if (client == null) {
            client = gs.init(ClientOptions.named("gs.shell").withDelayedErrorCallback(this::delayedError));
        }
        return client;
    }

    private void delayedError(org.edgeha.gs.api.DelayedErrorNotification n) {
        List<ShellProvider> all;
        synchronized (this) {
            all = new ArrayList<>(providers.values());
        }
        for (ShellProvider p : all) {
            if (p.delayedError(n)) {
                return;
            }
        }
    }

    /** {@code gs:groups}: every group this gateway knows. */
    public String groups() {
        List<GroupView> all = gs.groups();
        if (all.isEmpty()) {
            return "no groups on node " + gs.nodeNumber();
        }
        StringBuilder b = new StringBuilder(String.format("%-24s %6s %8s  %-12s %s%n", "GROUP", "SEQ", "MEMBERS", "RUNNING", "STATE"));
        for (GroupView v : all) {
            b.append(String.format("%-24s %6d %8d  %-12s %s%n", v.group(), v.seq(), v.members().size(),
                    v.running().map(r -> r.protocolType() + "#" + r.seq()).orElse("-"), v.state()));
        }
        return b.toString().stripTrailing();
    }

    /** {@code gs:view <group>}: members, state, sequence number, running protocol, shell events. */
    public String view(String group) {
        GroupView v = gs.group(group).orElse(null);
        if (v == null) {
            return "node " + gs.nodeNumber() + " does not know group " + group + " (join or subscribe first)";
        }
        List<String> lines = new ArrayList<>(List.of(
                "group        " + v.group(),
                "seq          " + v.seq(),
                "members      " + v.members(),
                "state        " + v.state(),
                "running      " + v.running().map(r -> r.protocolType() + " seq " + r.seq() + " phase " + r.phase()
                        + r.proposedBy().map(p -> " by " + p).orElse("")).orElse("-"),
                "coordinator  node " + v.coordinatorNode(),
                "attributes   " + v.attributes()));
        ShellProvider p = shell(group);
        if (p != null) {
            lines.add("shell events:");
            p.events().forEach(e -> lines.add("  " + e));
        }
        return String.join(System.lineSeparator(), lines);
    }

    private synchronized ShellProvider shell(String group) {
        ShellProvider p = providers.get(group);
        return p != null ? p : watchers.get(group);
    }

    /** {@code gs:join <group>}: joins a shell-owned provider (default attributes). */
    public String join(String group) {
        return join(group, null);
    }

    /** {@code gs:join <group> <state>}: joins, then proposes {@code state} once a member. */
    public synchronized String join(String group, String state) {
        ShellProvider old = providers.get(group);
        // A provider the engine ended (lost membership, removed, join refused) is over: joining again replaces it.
        if (old != null && !old.membershipLost()) {
            return "the shell already has a provider in " + group;
        }
        ShellProvider p = new ShellProvider(client(), new org.edgeha.gs.api.ProviderId(gs.nodeNumber(), SHELL_INSTANCE));
        p.initialState = state;
        try {
            p.token = client().join(new JoinRequest(group, SHELL_INSTANCE, GroupAttributes.DEFAULT, "shell", p));
        } catch (GsException e) {
            return e.getMessage();
        }
        providers.put(group, p);
        return "joining " + group + " as " + gs.nodeNumber() + "/" + SHELL_INSTANCE + (state == null ? "" : ", then proposing " + state)
                + (old == null ? "" : " (the previous provider had lost its membership)");
    }

    /** {@code gs:state <group> <value>}: proposes a state value (one phase). */
    public String state(String group, String value) {
        return propose(group, value, 1);
    }

    /** {@code gs:state <group> <value> --phases <n>}: n &gt; 1 proposes an n-phase change (shell votes approve). */
    public String state(String group, String value, String option, int phases) {
        if (!"--phases".equals(option) || phases < 1) {
            return "usage: gs:state <group> <value> [--phases n]";
        }
        return propose(group, value, phases);
    }

    private synchronized String propose(String group, String value, int phases) {
        ShellProvider p = providers.get(group);
        if (p == null) {
            return "the shell has no provider in " + group + " (gs:join " + group + ")";
        }
        try {
            client().changeStateValue(p.token, new StateChangeRequest(
                    phases > 1 ? Voting.nPhase(Duration.ofSeconds(10)) : Voting.ONE_PHASE, StateValue.ofUtf8(value)));
            return "proposed " + value + " in " + group;
        } catch (GsException e) {
            return e.getMessage();
        }
    }

    /** {@code gs:send <group> <text>}: a provider broadcast (one phase). */
    public synchronized String send(String group, String text) {
        ShellProvider p = providers.get(group);
        if (p == null) {
            return "the shell has no provider in " + group + " (gs:join " + group + ")";
        }
        try {
            client().sendMessage(p.token, new MessageRequest(Voting.ONE_PHASE, ProviderMessage.ofUtf8(text)));
            return "sent to " + group;
        } catch (GsException e) {
            return e.getMessage();
        }
    }

    /** {@code gs:leave <group>}: the shell's provider says goodbye (waits until removed). */
    public String leave(String group) {
        ShellProvider p;
        synchronized (this) {
            p = providers.remove(group);
        }
        if (p == null) {
            return "the shell has no provider in " + group;
        }
        try {
            client().goodbye(p.token);
            return "left " + group;
        } catch (GsException e) {
            return e.getMessage();
        }
    }

    /** {@code gs:subscribe <group>}: watches a group; {@code gs:view} shows what arrives. */
    public synchronized String subscribe(String group) {
        if (watchers.containsKey(group)) {
            return "the shell already watches " + group;
        }
        ShellProvider w = new ShellProvider(client());
        try {
            client().subscribe(SubscribeRequest.all(group, w));
        } catch (GsException e) {
            return e.getMessage();
        }
        watchers.put(group, w);
        return "watching " + group + " (gs:view " + group + " shows the notifications)";
    }
}
