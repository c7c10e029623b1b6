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
import org.edgeha.gs.api.NPhaseNotification;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderCallbacks;
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
 * <p>Threads: callbacks on the engine's callback threads, one at a time; the run on its own thread.
 */
@Component(service = {}, immediate = true, configurationPid = BenchProbe.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class BenchProbe implements ProviderCallbacks {

    static final String PID = "org.edgeha.benchmarks.probe";
    static final String GROUP = "bench";
    private static final String DUMP = "dump:";
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

    /** The proposal in flight and what became of it. */
    private record Pending(String value, CompletableFuture<Long> approvedAt) {
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
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Pending p = new Pending(value, new CompletableFuture<>());
            pending = p;
            long t0 = System.nanoTime();
            try {
                client.changeStateValue(token, request);
                return new long[] {t0, p.approvedAt().get(20, TimeUnit.SECONDS)};
            } catch (GsException e) {
                if (e.returnCode() != ReturnCode.COLLIDE) {
                    throw e;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof Collided)) {
                    throw new IllegalStateException("state change " + value + " failed", e.getCause());
                }
            } catch (TimeoutException e) {
                throw new TimeoutException("state change " + value + " was not approved within 20 s");
            }
            collisions[0]++;
            Thread.sleep(1);
        }
        throw new IllegalStateException("state change " + value + " collided " + MAX_ATTEMPTS + " times");
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
            try {
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

    @Override
    public void rejected(RejectedNotification n) {
        Pending p = pending;
        if (p != null) {
            p.approvedAt().completeExceptionally(new IllegalStateException("rejected: " + n));
        }
    }

    private void delayedError(DelayedErrorNotification n) {
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
