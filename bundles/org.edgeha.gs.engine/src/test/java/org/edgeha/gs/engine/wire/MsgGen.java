package org.edgeha.gs.engine.wire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.edgeha.gs.api.BatchControl;
import org.edgeha.gs.api.DefaultVote;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GsLimits;
import org.edgeha.gs.api.LeaveInfo;
import org.edgeha.gs.api.LeaveReason;
import org.edgeha.gs.api.MergeControl;
import org.edgeha.gs.api.NumPhases;
import org.edgeha.gs.api.ProtocolType;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.ProviderMessage;
import org.edgeha.gs.api.ReturnCode;
import org.edgeha.gs.api.StateValue;
import org.edgeha.gs.api.SummaryCode;
import org.edgeha.gs.api.VoteValue;
import org.edgeha.gs.spi.NodeId;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Builds any valid {@link Msg} from fuzz input: every field within the limits the decoder enforces, so that
 * {@code decode(encode(m))} must give {@code m} back. Lists are short (the point is structure, not size).
 */
final class MsgGen {

    private static final String GROUP_CHARS = "abcXYZ019._-";
    private final Src in;

    /** What the generator draws from: the fuzzer's data, or a seeded {@link Random} for the seed corpus. */
    interface Src {
        int consumeInt();

        int consumeInt(int min, int max);

        long consumeLong();

        long consumeLong(long min, long max);

        boolean consumeBoolean();

        byte[] consumeBytes(int max);

        String consumeString(int max);

        static Src of(FuzzedDataProvider d) {
            return new Src() {
                public int consumeInt() { return d.consumeInt(); }
                public int consumeInt(int min, int max) { return (int) within(d.consumeInt(min, max), min, max); }
                public long consumeLong() { return d.consumeLong(); }
                public long consumeLong(long min, long max) { return within(d.consumeLong(min, max), min, max); }
                public boolean consumeBoolean() { return d.consumeBoolean(); }
                public byte[] consumeBytes(int max) { return d.consumeBytes(max); }
                public String consumeString(int max) { return d.consumeString(max); }
            };
        }

        /**
         * Jazzer 0.24.0's ranged consume methods can return values outside wide ranges (seen: {@code consumeLong(0,
         * Long.MAX_VALUE)} negative in regression mode); fold such a value back into the range.
         */
        static long within(long v, long min, long max) {
            return v >= min && v <= max ? v : min + (v & Long.MAX_VALUE) % (max - min);
        }

        static Src of(Random r) {
            return new Src() {
                public int consumeInt() { return r.nextInt(); }
                public int consumeInt(int min, int max) { return (int) consumeLong(min, max); }
                public long consumeLong() { return r.nextLong(); }
                public long consumeLong(long min, long max) {
                    long span = max - min;
                    int small = span >= 0 && span < 10 ? (int) span + 1 : 10;
                    if (r.nextBoolean() || small <= 10 && span < 10 && span >= 0) {
                        return min + r.nextInt(small);
                    }
                    return max == Long.MAX_VALUE ? r.nextLong(min, max) : r.nextLong(min, max + 1);
                }
                public boolean consumeBoolean() { return r.nextBoolean(); }
                public byte[] consumeBytes(int max) {
                    byte[] b = new byte[r.nextInt(Math.min(max, 12) + 1)];
                    r.nextBytes(b);
                    return b;
                }
                public String consumeString(int max) {
                    String[] samples = {"", "p1", "pump-A", "ventil \u00e9", "\ud83d\ude80 x", "flag"};
                    String s = samples[r.nextInt(samples.length)];
                    return s.length() <= max ? s : "";
                }
            };
        }
    }

    MsgGen(FuzzedDataProvider in) {
        this(Src.of(in));
    }

    MsgGen(Src in) {
        this.in = in;
    }

    Msg msg() {
        Epoch e = epoch();
        return switch (in.consumeInt(1, 19)) {
            case 1 -> new Msg.Prepare(e);
            case 2 -> new Msg.PrepareNack(e, epoch());
            case 3 -> new Msg.Promise(e, list(this::report));
            case 4 -> new Msg.FetchLog(e, group(), in.consumeLong());
            case 5 -> new Msg.LogReply(e, group(), list(this::commit), opt(this::view));
            case 6 -> new Msg.EpochStart(e, list(() -> new CatchUp(group(), opt(this::view), list(this::commit),
                    in.consumeBoolean())));
            case 7 -> new Msg.Propose(e, group(), spec());
            case 8 -> new Msg.Failed(e, group(), list(this::leave), opt(this::requestId));
            case 9 -> new Msg.Subscribe(e, group(), requestId());
            case 10 -> new Msg.Unsubscribe(e, group());
            case 11 -> new Msg.AnnounceRequest(e, group(), summary(), list(this::providerId));
            case 12 -> new Msg.Votes(e, group(), in.consumeLong(), in.consumeInt(), list(this::vote));
            case 13 -> new Msg.RequestDone(e, group(), requestId(), pick(ReturnCode.values()));
            case 14 -> new Msg.Snapshot(e, group(), requestId(), view());
            case 15 -> new Msg.Phase(e, group(), in.consumeLong(), in.consumeInt(), spec(), view(), opt(this::state),
                    messages(), list(this::providerId), list(this::providerId), summary(), in.consumeBoolean());
            case 16 -> new Msg.Commit(e, group(), commit());
            case 17 -> new Msg.Announce(e, group(), summary(), list(this::providerId));
            case 18 -> new Msg.LogSeed(e, group(), list(this::commit));
            default -> new Msg.Stray(e);
        };
    }

    NodeId nodeId() {
        return new NodeId(in.consumeInt(1, Integer.MAX_VALUE), in.consumeLong(1, Long.MAX_VALUE));
    }

    Epoch epoch() {
        return new Epoch(in.consumeLong(0, Long.MAX_VALUE), nodeId());
    }

    RequestId requestId() {
        return new RequestId(nodeId(), in.consumeLong());
    }

    ProviderId providerId() {
        return new ProviderId(in.consumeInt(1, Integer.MAX_VALUE), in.consumeInt(0, Integer.MAX_VALUE));
    }

    String group() {
        int n = in.consumeInt(1, 12);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(GROUP_CHARS.charAt(in.consumeInt(0, GROUP_CHARS.length() - 1)));
        }
        return s.toString();
    }

    /** Any text the decoder takes back: at most {@code max} UTF-16 units of well-formed Unicode. */
    String name(int max) {
        String s = in.consumeString(max);
        StringBuilder ok = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                ok.append(c).append(s.charAt(++i));
            } else if (!Character.isSurrogate(c)) {
                ok.append(c);
            }
        }
        return ok.toString();
    }

    StateValue state() {
        return StateValue.of(in.consumeBytes(64));
    }

    ProviderMessage message() {
        return ProviderMessage.of(in.consumeBytes(64));
    }

    GroupAttributes attrs() {
        return new GroupAttributes(pick(DefaultVote.values()), pick(NumPhases.values()),
                Duration.ofMillis(in.consumeLong(0, Long.MAX_VALUE)), pick(BatchControl.values()),
                pick(MergeControl.values()), in.consumeBoolean() ? "" : group(), in.consumeInt());
    }

    MemberRec member() {
        return new MemberRec(providerId(), in.consumeLong(1, Long.MAX_VALUE), name(GsLimits.MAX_NAME_LENGTH));
    }

    ViewRec view() {
        return new ViewRec(group(), in.consumeLong(), list(this::member), state(), attrs(),
                opt(() -> new Generation(epoch(), in.consumeLong())));
    }

    LeaveInfo leave() {
        return new LeaveInfo(providerId(), pick(LeaveReason.values()), in.consumeInt());
    }

    ProtoSpec spec() {
        return new ProtoSpec(pick(ProtocolType.values()), list(this::requestId), opt(this::providerId),
                pick(NumPhases.values()), in.consumeLong(0, Long.MAX_VALUE), list(this::member), list(this::leave),
                opt(this::state), opt(this::message), opt(this::attrs), in.consumeInt(), name(GsLimits.MAX_NAME_LENGTH));
    }

    Set<SummaryCode> summary() {
        Set<SummaryCode> s = EnumSet.noneOf(SummaryCode.class);
        for (SummaryCode c : SummaryCode.values()) {
            if (in.consumeBoolean()) {
                s.add(c);
            }
        }
        return s;
    }

    Map<ProviderId, ProviderMessage> messages() {
        Map<ProviderId, ProviderMessage> m = new TreeMap<>();
        for (ProviderId p : list(this::providerId)) {
            m.put(p, message());
        }
        return m;
    }

    CommitRec commit() {
        return new CommitRec(in.consumeLong(), spec(), in.consumeBoolean(), summary(), in.consumeInt(), view(),
                opt(this::state), messages());
    }

    VoteRec vote() {
        return new VoteRec(providerId(), pick(VoteValue.values()), opt(this::state), opt(this::message),
                in.consumeBoolean() ? pick(DefaultVote.values()) : null, in.consumeInt());
    }

    GroupReport report() {
        return new GroupReport(group(), opt(this::view),
                opt(() -> new InflightRec(in.consumeLong(), in.consumeInt(), spec())), in.consumeBoolean(),
                list(this::providerId));
    }

    private <T> T pick(T[] values) {
        return values[in.consumeInt(0, values.length - 1)];
    }

    private <T> T opt(Supplier<T> value) {
        return in.consumeBoolean() ? value.get() : null;
    }

    private <T> List<T> list(Supplier<T> element) {
        int n = in.consumeInt(0, 3);
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(element.get());
        }
        return list;
    }
}
