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
        "osgi.command.function=goodbye",
        "osgi.command.function=expel",
        "osgi.command.function=attributes",
        "osgi.command.function=subscribe",
        "osgi.command.function=unsubscribe"
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
    static final String UNSUBSCRIBE_USAGE = "usage: gs:unsubscribe <group>";
    static final String GOODBYE_USAGE = "usage: gs:goodbye <group>";
    static final String EXPEL_USAGE = "usage: gs:expel <group> <node/instance>[,<node/instance>...]   e.g. gs:expel line1 2/1";
    static final String ATTRIBUTES_USAGE = "usage: gs:attributes <group> <name=value>[,<name=value>...]"
            + "   e.g. gs:attributes line1 defaultVote=REJECT,timeLimit=20   (names: defaultVote APPROVE|REJECT,"
            + " systemPhases ONE|N, timeLimit seconds, batchControl NO_BATCHING|BATCH_JOINS|BATCH_LEAVES|BATCH_BOTH,"
            + " mergeControl MERGE_INTO_LARGER|DISSOLVE_SMALLER, clientVersion n)";
    /** How long gs:subscribe waits for the first answer, and gs:leave for the removal. */
    static final long ANSWER_WAIT_MS = 5_000;
    static final long LEAVE_WAIT_MS = 15_000;
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

    /**
     * The shell client's delayed errors go to the provider or subscription of the group they name (a subscriber
     * token to the subscription), so that each shows under its own group in {@code gs:view}. A subscription that
     * ended with {@code UNKNOWN_GROUP} is no longer watched.
     */
    private void delayedError(org.edgeha.gs.api.DelayedErrorNotification n) {
        ShellProvider target;
        synchronized (this) {
            if (n.requestToken() instanceof org.edgeha.gs.api.SubscriberToken) {
                target = watchers.get(n.group());
                if (target != null && n.returnCode() == org.edgeha.gs.api.ReturnCode.UNKNOWN_GROUP) {
                    watchers.remove(n.group());
                }
            } else {
                target = providers.get(n.group());
            }
        }
        if (target != null) {
            target.delayedError(n);
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
            ShellProvider w = shell(group);
            if (w != null && w.dissolvedAt() >= 0) {
                List<String> lines = new ArrayList<>(List.of("group " + group + " dissolved at seq " + w.dissolvedAt(),
                        "shell events:"));
                w.events().forEach(e -> lines.add("  " + e));
                return String.join(System.lineSeparator(), lines);
            }
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

    /**
     * {@code gs:join <group> <state>}: joins, then proposes {@code state} once a member; waits (at most
     * {@link #ANSWER_WAIT_MS}) for the join's outcome, so that a refusal is the command's answer, not a later event.
     */
    @Descriptor("Joins the group with the shell's provider, then proposes a state value once it is a member."
            + " Example: gs:join line1 filling")
    public String join(@Descriptor(GROUP) String group,
            @Descriptor("<state> the state value to propose once joined") String state) {
        ShellProvider p;
        ShellProvider old;
        synchronized (this) {
            old = providers.get(group);
            // A provider the engine ended (lost membership, removed, join refused) is over: joining again replaces it.
            if (old != null && !old.membershipLost()) {
                return "the shell already has a provider in " + group;
            }
            p = new ShellProvider(client(), new org.edgeha.gs.api.ProviderId(gs.nodeNumber(), SHELL_INSTANCE));
            p.initialState = state;
            try {
                // The group's own attributes when this gateway knows them: after a gs:attributes change, joining with
                // the defaults would be refused (BAD_GROUP_ATTRIBUTES).
                GroupAttributes attributes = gs.group(group).map(v -> v.attributes()).orElse(GroupAttributes.DEFAULT);
                p.token = client().join(new JoinRequest(group, SHELL_INSTANCE, attributes, "shell", p));
            } catch (GsException e) {
                return e.getMessage();
            }
            providers.put(group, p);
        }
        String joining = "joining " + group + " as " + gs.nodeNumber() + "/" + SHELL_INSTANCE
                + (state == null ? "" : ", then proposing " + state)
                + (old == null ? "" : " (the previous provider had lost its membership)");
        // Outside the lock: the join's notifications and delayed errors reach the shell's provider meanwhile
        String outcome = p.awaitJoin(ANSWER_WAIT_MS);
        if (outcome == null) {
            return joining + ": no answer yet (gs:view " + group + " shows the notifications)";
        }
        if (outcome.contains(org.edgeha.gs.api.ReturnCode.BAD_GROUP_ATTRIBUTES.name())) {
            // This gateway did not know the group, so it joined with the default attributes
            return joining + ": " + outcome + "; the group has other attributes: gs:subscribe " + group
                    + " lets this gateway learn them, then gs:join " + group + " again";
        }
        return joining + ": " + outcome;
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

    /** {@code gs:leave <group>}: the shell's provider proposes to leave (one phase) and waits for the outcome. */
    @Descriptor("The shell's provider proposes to leave the group (a leave protocol the members vote on; waits until"
            + " it is removed or refused). Example: gs:leave line1")
    public String leave(@Descriptor(GROUP) String group) {
        ShellProvider p;
        synchronized (this) {
            p = providers.get(group);
            if (p == null) {
                return "the shell has no provider in " + group;
            }
            if (p.membershipLost()) {
                providers.remove(group);
                return "the shell's provider in " + group + " had lost its membership already; forgotten";
            }
            p.expectRemoval();
            try {
                client().leave(p.token, new org.edgeha.gs.api.LeaveRequest(Voting.ONE_PHASE, 0));
            } catch (GsException e) {
                return e.getMessage();
            }
        }
        String outcome = p.awaitRemoval(LEAVE_WAIT_MS);
        if (outcome == null) {
            return "leaving " + group + ": no outcome within " + LEAVE_WAIT_MS / 1000 + " s (gs:view " + group
                    + " shows it when it comes)";
        }
        if (outcome.startsWith("removed")) {
            synchronized (this) {
                providers.remove(group, p);
            }
            return "left " + group;
        }
        return "gs:leave " + group + ": " + outcome;
    }

    /** {@code gs:leave} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String leave(@Descriptor(AS_TYPED) String... wrong) {
        return LEAVE_USAGE;
    }

    /** {@code gs:goodbye <group>}: the shell's provider leaves at once, as a failure (waits until removed). */
    @Descriptor("The shell's provider leaves at once, as a failure, without a vote (goodbye; the others see"
            + " PROVIDER_SAID_GOODBYE; waits until it is removed). Example: gs:goodbye line1")
    public String goodbye(@Descriptor(GROUP) String group) {
        ShellProvider p;
        synchronized (this) {
            p = providers.remove(group);
        }
        if (p == null) {
            return "the shell has no provider in " + group;
        }
        try {
            client().goodbye(p.token);
            return "said goodbye to " + group;
        } catch (GsException e) {
            return e.getMessage();
        }
    }

    /** {@code gs:goodbye} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String goodbye(@Descriptor(AS_TYPED) String... wrong) {
        return GOODBYE_USAGE;
    }

    /** {@code gs:expel <group> <node/instance>[,...]}: the shell's provider proposes to remove providers. */
    @Descriptor("The shell's provider proposes to expel providers from the group (one phase; their deactivate"
            + " handlers run, the others vote). Example: gs:expel line1 2/1")
    public synchronized String expel(@Descriptor(GROUP) String group,
            @Descriptor("<node/instance>[,<node/instance>...] the providers to expel, as gs:view lists them")
            String targets) {
        ShellProvider p = providers.get(group);
        if (p == null) {
            return "the shell has no provider in " + group + " (gs:join " + group + ")";
        }
        List<org.edgeha.gs.api.ProviderId> ids = new ArrayList<>();
        for (String t : targets.split(",")) {
            String[] parts = t.trim().split("/");
            try {
                ids.add(new org.edgeha.gs.api.ProviderId(Integer.parseInt(parts[0].trim()),
                        Integer.parseInt(parts[1].trim())));
            } catch (RuntimeException e) {
                return "gs:expel: '" + t.trim() + "' is not a provider node/instance such as 2/1; " + EXPEL_USAGE;
            }
        }
        try {
            client().expel(p.token, new org.edgeha.gs.api.ExpelRequest(Voting.nPhase(Duration.ofSeconds(10)), ids, 1, "shell"));
            return "proposed to expel " + ids + " from " + group + " (gs:view " + group + " shows the outcome)";
        } catch (GsException e) {
            return e.getMessage();
        }
    }

    /** {@code gs:expel} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String expel(@Descriptor(AS_TYPED) String... wrong) {
        return EXPEL_USAGE;
    }

    /** {@code gs:attributes <group> <name=value>[,...]}: the shell's provider proposes new group attributes. */
    @Descriptor("The shell's provider proposes new group attributes (one phase), starting from the current ones:"
            + " defaultVote, systemPhases, timeLimit (s), batchControl, mergeControl, clientVersion."
            + " Example: gs:attributes line1 defaultVote=REJECT,timeLimit=20")
    public synchronized String attributes(@Descriptor(GROUP) String group,
            @Descriptor("<name=value>[,<name=value>...] the attributes to change, as gs:view names them") String changes) {
        ShellProvider p = providers.get(group);
        if (p == null) {
            return "the shell has no provider in " + group + " (gs:join " + group + ")";
        }
        GroupView v = gs.group(group).orElse(null);
        if (v == null) {
            return "node " + gs.nodeNumber() + " does not know group " + group;
        }
        GroupAttributes a = v.attributes();
        for (String change : changes.split(",")) {
            int eq = change.indexOf('=');
            String name = eq < 0 ? change.trim() : change.substring(0, eq).trim();
            String value = eq < 0 ? "" : change.substring(eq + 1).trim().toUpperCase(java.util.Locale.ROOT);
            try {
                switch (name) {
                    case "defaultVote" -> a = a.withDefaultVote(org.edgeha.gs.api.DefaultVote.valueOf(value));
                    case "systemPhases" -> a = a.withSystemVoting(org.edgeha.gs.api.NumPhases.valueOf(value),
                            a.systemTimeLimit());
                    case "timeLimit" -> a = a.withSystemVoting(a.systemPhases(),
                            Duration.ofSeconds(Long.parseLong(value)));
                    case "batchControl" -> a = a.withBatchControl(org.edgeha.gs.api.BatchControl.valueOf(value));
                    case "mergeControl" -> a = a.withMergeControl(org.edgeha.gs.api.MergeControl.valueOf(value));
                    case "clientVersion" -> a = a.withClientVersion(Integer.parseInt(value));
                    default -> {
                        return "gs:attributes: no attribute '" + name + "'; " + ATTRIBUTES_USAGE;
                    }
                }
            } catch (IllegalArgumentException e) {
                return "gs:attributes: " + name + "=" + value + " is not a valid value; " + ATTRIBUTES_USAGE;
            }
        }
        try {
            client().changeAttributes(p.token, new org.edgeha.gs.api.AttributeChangeRequest(Voting.ONE_PHASE, a));
            return "proposed attributes " + a + " for " + group;
        } catch (GsException e) {
            return e.getMessage();
        }
    }

    /** {@code gs:attributes} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String attributes(@Descriptor(AS_TYPED) String... wrong) {
        return ATTRIBUTES_USAGE;
    }

    /**
     * {@code gs:subscribe <group>}: watches a group and waits (at most {@link #ANSWER_WAIT_MS}) for the first answer:
     * the group's current view, or the delayed error that ends the subscription ({@code UNKNOWN_GROUP}).
     */
    @Descriptor("Watches a group without joining it and prints its current sequence number, members and state, or"
            + " why it cannot be watched (UNKNOWN_GROUP); gs:view shows the notifications, DISSOLVED included."
            + " Example: gs:subscribe line1")
    public String subscribe(@Descriptor(GROUP) String group) {
        ShellProvider w;
        synchronized (this) {
            ShellProvider old = watchers.get(group);
            if (old != null && old.dissolvedAt() < 0) {
                return "the shell already watches " + group;
            }
            w = new ShellProvider(client());
            watchers.put(group, w); // before subscribing: a delayed error finds it (it waits for this lock)
            try {
                w.subscriber = client().subscribe(SubscribeRequest.all(group, w));
            } catch (GsException e) {
                watchers.remove(group, w);
                return e.getMessage();
            }
        }
        String first = w.awaitFirstAnswer(ANSWER_WAIT_MS);
        if (first == null) {
            return "watching " + group + " (no answer yet; gs:view " + group + " shows the notifications)";
        }
        if (first.equals(org.edgeha.gs.api.ReturnCode.UNKNOWN_GROUP.toString())) {
            return "gs:subscribe: no group " + group + " in the domain (UNKNOWN_GROUP); not watching it";
        }
        if (!first.startsWith("seq")) {
            synchronized (this) {
                watchers.remove(group, w);
            }
            return "gs:subscribe: " + group + " cannot be watched (" + first + ")";
        }
        return "watching " + group + ": " + first + " (gs:view " + group + " shows the notifications)";
    }

    /** {@code gs:unsubscribe <group>}: stops watching a group. */
    @Descriptor("Stops watching a group (gs:subscribe). Example: gs:unsubscribe line1")
    public String unsubscribe(@Descriptor(GROUP) String group) {
        ShellProvider w;
        synchronized (this) {
            w = watchers.remove(group);
        }
        if (w == null) {
            return "the shell does not watch " + group;
        }
        try {
            client().unsubscribe(w.subscriber);
        } catch (GsException e) {
            // ended already (dissolved): nothing more to stop
        }
        return "no longer watching " + group;
    }

    /** {@code gs:unsubscribe} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String unsubscribe(@Descriptor(AS_TYPED) String... wrong) {
        return UNSUBSCRIBE_USAGE;
    }

    /** {@code gs:subscribe} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String subscribe(@Descriptor(AS_TYPED) String... wrong) {
        return SUBSCRIBE_USAGE;
    }
}
