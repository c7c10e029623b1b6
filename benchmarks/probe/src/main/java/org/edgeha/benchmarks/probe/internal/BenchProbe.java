package org.edgeha.benchmarks.probe.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.edgeha.gateway.api.Gateway;
import org.edgeha.gs.api.ApprovedNotification;
import org.edgeha.gs.api.ClientOptions;
import org.edgeha.gs.api.DelayedErrorNotification;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupServices;
import org.edgeha.gs.api.GsClient;
import org.edgeha.gs.api.GsException;
import org.edgeha.gs.api.JoinRequest;
import org.edgeha.gs.api.MessageRequest;
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderCallbacks;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.ProviderToken;
import org.edgeha.gs.api.RejectedNotification;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.StateChangeRequest;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.Vote;
import org.edgeha.gs.api.Voting;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The benchmarks' provider in group {@value #GROUP} (instance 1), one per gateway. It approves every phase and
 * notes, for every approved state change, the value, its sequence number and {@link System#nanoTime()} at the
 * moment its approved callback runs. When a state {@code dump:TAG} is approved it writes those notes to
 * {@code data/bench/applied-TAG.txt} and forgets them.
 *
 * <p>A configuration with a new {@code run.tag} makes this copy the proposer: once the group has
 * {@code members} providers it proposes state changes one at a time, for each series of {@code phases}
 * ({@code 1} one-phase, {@code 2} two-phase), {@code warmup} unrecorded then {@code runs} recorded ones, each
 * after a random pause; it writes {@code run-TAG.txt} (phases, value, proposal and approval nanoTime), then
 * proposes {@code dump:TAG}, then writes {@code done-TAG.txt} ({@code ok collisions=N} or {@code error ...}).
 * On Linux {@code System.nanoTime()} is CLOCK_MONOTONIC, one clock for every process of the machine, so the
 * driver may compare the gateways' notes.
 *
 * <p>With {@code broadcast.s} &gt; 0 the run broadcasts instead: {@code warmup} unrecorded provider messages
 * ({@link GsClient#sendMessage}, one-phase), then as many as the protocol lets through in {@code broadcast.s}
 * seconds, each sent as soon as this provider was told the previous one was approved; every message is
 * {@code message.bytes} long. It writes {@code broadcast-TAG.txt} (sent, nanoTime of the first send and of the
 * last approval here, collisions), then proposes {@code dump:TAG}. Every copy counts the recorded broadcasts it
 * is told of and, at the dump, writes {@code received-TAG.txt} (count, nanoTime of the first and the last,
 * {@code in-order} if they came numbered 0, 1, 2, … without a gap or duplicate).
 *
 * <p>Threads: callbacks on the engine's callback threads, one at a time; the run on its own thread.
 */
@Component(service = {}, immediate = true, configurationPid = BenchProbe.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class BenchProbe implements ProviderCallbacks {

    static final String PID = "org.edgeha.benchmarks.probe";
    static final String GROUP = "bench";
    private static final String DUMP = "dump:";
    private static final String BROADCAST = "bc:";
    private static final String WARM_BROADCAST = "bcw:";
    private static final int MAX_ATTEMPTS = 100;

    /** The run to make; without a {@code run.tag} this copy only takes part. */
    @interface Config {
        String run_tag() default "";

        int members() default 1;

        int warmup() default 0;

        int runs() default 0;

        String phases() default "1,2";

        int pause_min_us() default 2_000;

        int pause_max_us() default 8_000;

        int broadcast_s() default 0;

        int message_bytes() default 64;
    }

    private final GroupServices gs;
    private final Logger log;
    private final Path out;
    private final GsClient client;
    private final List<String> applied = new ArrayList<>();
    private volatile ProviderToken token;
    private volatile Pending pending;
    private Thread runner;
    private String lastTag = "";
    private final Received received = new Received();

    /** The proposal in flight (its state value or message) and what became of it. */
    private record Pending(String value, CompletableFuture<Long> approvedAt) {
    }

    /** The recorded broadcasts this copy was told of since the last dump; guarded by itself. */
    private static final class Received {
        long count;
        long first;
        long last;
        long next;
        boolean inOrder = true;

        void add(long index, long now) {
            inOrder &= index == next;
            next = index + 1;
            if (count++ == 0) {
                first = now;
            }
            last = now;
        }

        String takeLine() {
            String line = count + " " + first + " " + last + " " + (inOrder ? "in-order" : "out-of-order");
            count = 0;
            first = 0;
            last = 0;
            next = 0;
            inOrder = true;
            return line;
        }
    }

    /** A proposal the coordinator refused because another protocol ran: try again. */
    private static final class Collided extends Exception {
        private static final long serialVersionUID = 1L;
    }

    @Activate
    public BenchProbe(@Reference GroupServices gs, @Reference Gateway gateway,
            @Reference(service = LoggerFactory.class) Logger log, Config config) {
        this.gs = gs;
        this.log = log;
        this.out = gateway.settings().data().resolve("bench");
        this.client = gs.init(ClientOptions.named("bench-probe").withDelayedErrorCallback(this::delayedError));
        this.token = client.join(new JoinRequest(GROUP, 1, GroupAttributes.DEFAULT, "bench-probe", this));
        modified(config);
    }

    @Modified
    synchronized void modified(Config config) {
        String tag = config.run_tag().trim();
        if (tag.isEmpty() || tag.equals(lastTag)) {
            return;
        }
        if (runner != null && runner.isAlive()) {
            log.warn("bench probe: run {} asked for while {} runs; ignored", tag, lastTag);
            return;
        }
        lastTag = tag;
        runner = new Thread(() -> run(tag, config), "bench-probe-" + tag);
        runner.setDaemon(true);
        runner.start();
    }

    @Deactivate
    synchronized void deactivate() {
        if (runner != null) {
            runner.interrupt();
        }
        client.quit();
    }

    // ---- the proposer ----

    private void run(String tag, Config c) {
        log.info("bench probe: run {} starts ({} members, {} + {} per series, phases {})", tag, c.members(),
                c.warmup(), c.runs(), c.phases());
        int[] collisions = {0};
        String result;
        try {
            awaitMembers(c.members());
            if (c.broadcast_s() > 0) {
                broadcast(tag, c, collisions);
            } else {
                stateChanges(tag, c, collisions);
            }
            propose(Voting.ONE_PHASE, DUMP + tag, collisions);
            result = "ok collisions=" + collisions[0];
        } catch (InterruptedException e) {
            result = "error interrupted";
        } catch (Exception e) {
            result = "error " + e;
            log.error("bench probe: run {} failed", tag, e);
        }
        try {
            write("done-" + tag + ".txt", List.of(result));
        } catch (IOException e) {
            log.error("bench probe: cannot write the result of run {}", tag, e);
        }
        log.info("bench probe: run {} ends: {}", tag, result);
    }

    private void stateChanges(String tag, Config c, int[] collisions) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String p : c.phases().split(",")) {
            int phases = Integer.parseInt(p.trim());
            Voting voting = phases == 1 ? Voting.ONE_PHASE : Voting.nPhase(Duration.ofSeconds(10));
            for (int i = 0; i < c.warmup() + c.runs(); i++) {
                boolean warm = i < c.warmup();
                String value = tag + "/" + phases + "/" + (warm ? "w" + i : String.valueOf(i - c.warmup()));
                long[] t = propose(voting, value, collisions);
                if (!warm) {
                    lines.add(phases + " " + value + " " + t[0] + " " + t[1]);
                }
                pause(c);
            }
        }
        write("run-" + tag + ".txt", lines);
    }

    private void broadcast(String tag, Config c, int[] collisions) throws Exception {
        for (int i = 0; i < c.warmup(); i++) {
            send(message(WARM_BROADCAST + tag + "/" + i, c.message_bytes()), collisions);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(c.broadcast_s());
        long first = 0;
        long last = 0;
        int sent = 0;
        int collided = collisions[0];
        while (sent == 0 || System.nanoTime() - deadline < 0) {
            long[] t = send(message(BROADCAST + tag + "/" + sent, c.message_bytes()), collisions);
            if (sent == 0) {
                first = t[0];
            }
            last = t[1];
            sent++;
        }
        write("broadcast-" + tag + ".txt", List.of(sent + " " + first + " " + last + " "
                + (collisions[0] - collided)));
    }

    /** @return {@code text} padded with dots to {@code bytes} bytes (or longer if it is longer) */
    private static String message(String text, int bytes) {
        return text.length() >= bytes ? text : text + ".".repeat(bytes - text.length());
    }

    private void awaitMembers(int members) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (gs.group(GROUP).map(v -> v.members().size()).orElse(0) < members) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("group " + GROUP + " never had " + members + " members: "
                        + gs.group(GROUP));
            }
            Thread.sleep(10);
        }
    }

    /** @return the nanoTime of the proposal (its last attempt) and of this provider's approved callback */
    private long[] propose(Voting voting, String value, int[] collisions) throws Exception {
        StateChangeRequest request = new StateChangeRequest(voting, StateValue.ofUtf8(value));
        return propose(value, () -> client.changeStateValue(token, request), collisions);
    }

    /** Broadcasts a provider message (one-phase); returns as {@link #propose(Voting, String, int[])}. */
    private long[] send(String message, int[] collisions) throws Exception {
        MessageRequest request = new MessageRequest(Voting.ONE_PHASE, ProviderMessage.ofUtf8(message));
        return propose(message, () -> client.sendMessage(token, request), collisions);
    }

    /**
     * Makes a proposal, again after each collision.
     *
     * @param value the state value or message this provider's approved callback will show
     * @return the nanoTime of the proposal (its last attempt) and of this provider's approved callback
     */
    private long[] propose(String value, Runnable call, int[] collisions) throws Exception {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Pending p = new Pending(value, new CompletableFuture<>());
            pending = p;
            long t0 = System.nanoTime();
            try {
                call.run();
                return new long[] {t0, p.approvedAt().get(20, TimeUnit.SECONDS)};
            } catch (GsException e) {
                if (e.returnCode() != ReturnCode.COLLIDE) {
                    throw e;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof Collided)) {
                    throw new IllegalStateException("proposal " + value + " failed", e.getCause());
                }
            } catch (TimeoutException e) {
                throw new TimeoutException("proposal " + value + " was not approved within 20 s");
            }
            collisions[0]++;
            Thread.sleep(1);
        }
        throw new IllegalStateException("proposal " + value + " collided " + MAX_ATTEMPTS + " times");
    }

    private static void pause(Config c) throws InterruptedException {
        int min = Math.max(0, c.pause_min_us());
        int max = Math.max(min + 1, c.pause_max_us());
        long micros = ThreadLocalRandom.current().nextLong(min, max);
        TimeUnit.MICROSECONDS.sleep(micros);
    }

    private void write(String name, List<String> lines) throws IOException {
        Files.createDirectories(out);
        Path tmp = out.resolve(name + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, out.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---- every member ----

    @Override
    public void nPhase(NPhaseNotification n) {
        token = n.token();
        client.vote(n.token(), Vote.approve());
    }

    @Override
    public void approved(ApprovedNotification n) {
        long now = System.nanoTime();
        token = n.token();
        if (n.protocolType() == ProtocolType.MESSAGE) {
            String text = n.proposal().providerMessage().map(ProviderMessage::asUtf8).orElse("");
            Pending p = pending;
            if (p != null && p.value().equals(text)) {
                p.approvedAt().complete(now);
            }
            if (text.startsWith(BROADCAST)) {
                int slash = text.lastIndexOf('/');
                long index = Long.parseLong(text.substring(slash + 1, slash + 1 + digits(text, slash + 1)));
                synchronized (received) {
                    received.add(index, now);
                }
            }
            return;
        }
        if (n.protocolType() != ProtocolType.STATE_CHANGE) {
            return;
        }
        String value = n.proposal().currentState().asUtf8();
        Pending p = pending;
        if (p != null && p.value().equals(value)) {
            p.approvedAt().complete(now);
        }
        if (value.startsWith(DUMP)) {
            List<String> lines;
            synchronized (applied) {
                lines = List.copyOf(applied);
                applied.clear();
            }
            String line;
            synchronized (received) {
                line = received.takeLine();
            }
            try {
                write("received-" + value.substring(DUMP.length()) + ".txt", List.of(line));
                write("applied-" + value.substring(DUMP.length()) + ".txt", lines);
            } catch (IOException e) {
                log.error("bench probe: cannot write what was applied", e);
            }
        } else {
            synchronized (applied) {
                applied.add(value + " " + n.proposal().seq() + " " + now);
            }
        }
    }

    private static int digits(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
        }
        return i - from;
    }

    @Override
    public void rejected(RejectedNotification n) {
        Pending p = pending;
        if (p != null) {
            p.approvedAt().completeExceptionally(new IllegalStateException("rejected: " + n));
        }
    }

    /**
     * Lost its membership (MEMBERSHIP_LOST): join again, as the whiteboard does for a provider. At the start of a
     * group of many gateways, one may briefly coordinate a domain of its own before it sees the lowest gateway; its
     * provider's join then makes a separate life of the group, which the takeover ends (design note, section 6). A
     * probe that never joined again kept the group from ever having every gateway (seen once with 10 gateways).
     */
    @Override
    public void announcement(org.edgeha.gs.api.AnnouncementNotification n) {
        if (n.summary().contains(org.edgeha.gs.api.SummaryCode.MEMBERSHIP_LOST)) {
            rejoin("membership lost: " + n.summary());
        }
    }

    private void rejoin(String why) {
        log.info("bench probe: {}; joining {} again", why, GROUP);
        try {
            token = client.join(new JoinRequest(GROUP, 1, GroupAttributes.DEFAULT, "bench-probe", this));
        } catch (GsException e) {
            log.warn("bench probe: cannot join {} again: {}", GROUP, e.getMessage());
        }
    }

    private void delayedError(DelayedErrorNotification n) {
        if (n.returnCode() == ReturnCode.MEMBERSHIP_LOST && n.protocolType() == ProtocolType.JOIN) {
            rejoin("the join ended with MEMBERSHIP_LOST");
            return;
        }
        Pending p = pending;
        if (p == null) {
            return;
        }
        if (n.returnCode() == ReturnCode.COLLIDE) {
            p.approvedAt().completeExceptionally(new Collided());
        } else {
            p.approvedAt().completeExceptionally(new IllegalStateException("delayed error: " + n.returnCode()));
        }
    }
}
