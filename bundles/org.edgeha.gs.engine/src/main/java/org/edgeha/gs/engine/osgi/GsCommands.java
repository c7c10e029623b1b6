package org.edgeha.gs.engine.osgi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
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
 *
 * <p>Each command carries Gogo's {@code @Descriptor} ({@code help gs:state}); options are Gogo {@code @Parameter}s
 * written {@code --name value} and come first in the method (Gogo 1.1.6 mis-assigns an option declared after the
 * positional parameters); wrong or missing arguments reach a {@code String...} overload that prints the usage
 * (docs/ARCHITECTURE.md, "Shell commands").
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

    static final String GROUPS_USAGE = "usage: gs:groups (no arguments)";
    static final String VIEW_USAGE = "usage: gs:view <group>";
    static final String JOIN_USAGE = "usage: gs:join <group> [<state>]   e.g. gs:join line1 filling";
    static final String STATE_USAGE = "usage: gs:state <group> <value> [--phases n]   e.g. gs:state line1 filling --phases 2";
    static final String SEND_USAGE = "usage: gs:send <group> <text>   (quote a text with spaces: gs:send line1 'batch 7')";
    static final String LEAVE_USAGE = "usage: gs:leave <group>";
    static final String SUBSCRIBE_USAGE = "usage: gs:subscribe <group>";
    private static final String WRONG = "Wrong or missing arguments: prints the usage";
    private static final String AS_TYPED = "the arguments as typed";
    private static final String GROUP = "<group> the group's name";

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
    @Descriptor("Lists every group this gateway knows: sequence number, members, running protocol, state value."
            + " Example: gs:groups")
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

    /** {@code gs:groups} with arguments: the usage. */
    @Descriptor(WRONG)
    public String groups(@Descriptor(AS_TYPED) String... wrong) {
        return GROUPS_USAGE;
    }

    /** {@code gs:view <group>}: members, state, sequence number, running protocol, shell events. */
    @Descriptor("Shows a group: sequence number, members, state value, running protocol, coordinator, attributes,"
            + " and what the shell's provider or subscription received. Example: gs:view line1")
    public String view(@Descriptor(GROUP) String group) {
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

    /** {@code gs:view} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String view(@Descriptor(AS_TYPED) String... wrong) {
        return VIEW_USAGE;
    }

    private synchronized ShellProvider shell(String group) {
        ShellProvider p = providers.get(group);
        return p != null ? p : watchers.get(group);
    }

    /** {@code gs:join <group>}: joins a shell-owned provider (default attributes). */
    @Descriptor("Joins the group with a provider owned by the shell (instance 9999, default attributes), which"
            + " approves every vote. Example: gs:join line1")
    public String join(@Descriptor(GROUP) String group) {
        return join(group, null);
    }

    /** {@code gs:join <group> <state>}: joins, then proposes {@code state} once a member. */
    @Descriptor("Joins the group with the shell's provider, then proposes a state value once it is a member."
            + " Example: gs:join line1 filling")
    public synchronized String join(@Descriptor(GROUP) String group,
            @Descriptor("<state> the state value to propose once joined") String state) {
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

    /** {@code gs:join} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String join(@Descriptor(AS_TYPED) String... wrong) {
        return JOIN_USAGE;
    }

    /**
     * {@code gs:state [--phases n] <group> <value>}: proposes a state value; n &gt; 1 proposes an n-phase change
     * (the shell's votes approve). The option may also follow the value.
     */
    @Descriptor("Proposes a new state value for a group the shell has joined (gs:join), in one phase or with"
            + " --phases n in n phases (the shell's provider approves each). Example: gs:state line1 filling --phases 2")
    public String state(
            @Parameter(names = "--phases", absentValue = "1") @Descriptor("<n> the number of phases, 1 or more"
                    + " (1 if absent)") int phases,
            @Descriptor(GROUP) String group,
            @Descriptor("<value> the new state value (UTF-8 text)") String value) {
        if (phases < 1) {
            return STATE_USAGE;
        }
        return propose(group, value, phases);
    }

    /** {@code gs:state} with wrong or missing arguments (or a --phases that is not a number): the usage. */
    @Descriptor(WRONG)
    public String state(@Descriptor(AS_TYPED) String... wrong) {
        return STATE_USAGE;
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
    @Descriptor("Broadcasts a message to the group's providers from the shell's provider (one phase)."
            + " Example: gs:send line1 'batch 7 done'")
    public synchronized String send(@Descriptor(GROUP) String group,
            @Descriptor("<text> the message (quote it if it has spaces)") String text) {
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

    /** {@code gs:send} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String send(@Descriptor(AS_TYPED) String... wrong) {
        return SEND_USAGE;
    }

    /** {@code gs:leave <group>}: the shell's provider says goodbye (waits until removed). */
    @Descriptor("The shell's provider leaves the group (goodbye; waits until it is removed). Example: gs:leave line1")
    public String leave(@Descriptor(GROUP) String group) {
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

    /** {@code gs:leave} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String leave(@Descriptor(AS_TYPED) String... wrong) {
        return LEAVE_USAGE;
    }

    /** {@code gs:subscribe <group>}: watches a group; {@code gs:view} shows what arrives. */
    @Descriptor("Watches a group without joining it; gs:view shows the notifications. Example: gs:subscribe line1")
    public synchronized String subscribe(@Descriptor(GROUP) String group) {
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

    /** {@code gs:subscribe} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String subscribe(@Descriptor(AS_TYPED) String... wrong) {
        return SUBSCRIBE_USAGE;
    }
}
