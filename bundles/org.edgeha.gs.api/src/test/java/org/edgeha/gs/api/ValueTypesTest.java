package org.edgeha.gs.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

public class ValueTypesTest {

    @Test
    public void stateValuesCompareByBytesAndCannotBeChangedFromOutside() {
        byte[] raw = {1, 2, 3};
        StateValue s = StateValue.of(raw);
        raw[0] = 9;
        assertEquals(StateValue.of(new byte[] {1, 2, 3}), s);
        s.bytes()[1] = 9;
        assertEquals(StateValue.of(new byte[] {1, 2, 3}), s);
        assertEquals("\"abc\"", StateValue.ofUtf8("abc").toString());
        assertEquals("base64:AQID", s.toString());
        assertEquals(StateValue.EMPTY, StateValue.of(new byte[0]));
    }

    @Test
    public void providerIdsOrderByNodeThenInstance() {
        List<ProviderId> ids = new ArrayList<>(List.of(new ProviderId(2, 0), new ProviderId(1, 5), new ProviderId(1, 2)));
        ids.sort(null);
        assertEquals(List.of(new ProviderId(1, 2), new ProviderId(1, 5), new ProviderId(2, 0)), ids);
        assertThrows(IllegalArgumentException.class, () -> new ProviderId(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ProviderId(1, -1));
    }

    @Test
    public void groupNamesAreOneMqttTopicLevel() {
        assertTrue(GsLimits.isValidGroupName("pumps.line-1_A"));
        assertFalse(GsLimits.isValidGroupName(""));
        assertFalse(GsLimits.isValidGroupName("a/b"));
        assertFalse(GsLimits.isValidGroupName("a+"));
        assertFalse(GsLimits.isValidGroupName("#"));
        assertFalse(GsLimits.isValidGroupName("x".repeat(129)));
        assertFalse(GsLimits.isValidGroupName(null));
    }

    @Test
    public void attributesCompareByValueAndWithersChangeOneField() {
        GroupAttributes a = GroupAttributes.DEFAULT.withSourceGroup("disks");
        assertEquals("disks", a.sourceGroup());
        assertEquals(GroupAttributes.DEFAULT.defaultVote(), a.defaultVote());
        assertNotEquals(GroupAttributes.DEFAULT, a);
        assertEquals(a, GroupAttributes.DEFAULT.withSourceGroup("disks"));
        assertThrows(IllegalArgumentException.class,
                () -> GroupAttributes.DEFAULT.withSystemVoting(NumPhases.N, Duration.ofSeconds(-1)));
    }

    @Test
    public void collectionsInValueTypesAreCopiedAndImmutable() {
        List<ProviderId> list = new ArrayList<>(List.of(new ProviderId(1, 1)));
        ExpelRequest r = new ExpelRequest(Voting.ONE_PHASE, list, 1, "");
        list.add(new ProviderId(2, 2));
        assertEquals(1, r.expelList().size());
        assertThrows(UnsupportedOperationException.class, () -> r.expelList().add(new ProviderId(3, 3)));
        SubscribeRequest s = new SubscribeRequest("g", EnumSet.of(SubscriptionFlag.STATE), n -> { });
        assertEquals(Set.of(SubscriptionFlag.STATE), s.flags());
        assertThrows(UnsupportedOperationException.class, () -> s.flags().add(SubscriptionFlag.MEMBERSHIP));
    }

    @Test
    public void proposalOrdersVotedMessagesByProvider() {
        Proposal p = new Proposal("g", 1, 1, ProtocolType.STATE_CHANGE, NumPhases.N, Optional.empty(), List.of(),
                List.of(), StateValue.EMPTY, Optional.empty(), Optional.empty(),
                Map.of(new ProviderId(3, 1), ProviderMessage.ofUtf8("c"), new ProviderId(1, 1), ProviderMessage.ofUtf8("a")),
                List.of(), Optional.empty(), GroupAttributes.DEFAULT, Optional.empty());
        assertEquals(List.of(new ProviderId(1, 1), new ProviderId(3, 1)), List.copyOf(p.votedMessages().keySet()));
    }

    @Test
    public void votesCarryOptionalPiggybacks() {
        Vote v = Vote.continueVoting().withState(StateValue.ofUtf8("s")).withDefaultVote(DefaultVote.REJECT);
        assertEquals(VoteValue.CONTINUE, v.value());
        assertEquals(Optional.of(StateValue.ofUtf8("s")), v.proposedState());
        assertEquals(Optional.empty(), v.message());
        assertEquals(Optional.of(DefaultVote.REJECT), v.defaultVote());
    }

    @Test
    public void exceptionsCarryTheirReturnCode() {
        GsException e = new GsException(ReturnCode.COLLIDE, "group g runs protocol 4");
        assertEquals(ReturnCode.COLLIDE, e.returnCode());
        assertTrue(e.getMessage().startsWith("COLLIDE: "));
    }
}
