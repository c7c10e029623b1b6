package org.edgeha.gs.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.StateValue;
import org.junit.Test;

/** The public view's JSON and who publishes it. */
public class ViewJsonTest {

    private static GroupView view(List<ProviderId> members, StateValue state) {
        return new GroupView("line1", 7, members, state, GroupAttributes.DEFAULT, Optional.empty(), 1);
    }

    private static String json(GroupView v) {
        return new String(ViewJson.of(v, 2, 77), StandardCharsets.UTF_8);
    }

    @Test
    public void textStateIsWrittenAsEscapedText() {
        long before = System.currentTimeMillis();
        String j = json(view(List.of(new ProviderId(1, 1), new ProviderId(3, 0)), StateValue.ofUtf8("run \"fast\"\n\\ \u0001")));
        long ts = Long.parseLong(j.replaceAll(".*\"ts\":([0-9]+),.*", "$1"));
        assertTrue(ts >= before && ts <= System.currentTimeMillis());
        assertEquals("{\"schema\":\"edgeha.group-view/1\",\"ts\":" + ts + ",\"group\":\"line1\",\"seq\":7,"
                + "\"members\":[{\"node\":1,\"instance\":1},{\"node\":3,\"instance\":0}],"
                + "\"state\":\"run \\\"fast\\\"\\n\\\\ \\u0001\",\"stateEncoding\":\"utf-8\",\"coordinator\":1,"
                + "\"publisher\":2,\"publisherIncarnation\":77,\"dissolved\":false,\"stale\":false}", j);
    }

    @Test
    public void aViewIsReadBackInAnyLayoutAndAnOlderOneWithoutSchemaToo() {
        String reordered = "{ \"stale\" : false, \"publisher\" : 2,\n \"seq\" : 7, \"group\" : \"line1\", "
                + "\"publisherIncarnation\": 77, \"dissolved\": false, \"ts\": 1, \"schema\": \"edgeha.group-view/1\" }";
        ViewJson.Seen seen = ViewJson.read(reordered.getBytes(StandardCharsets.UTF_8)).orElseThrow();
        assertEquals("line1", seen.group());
        assertEquals(7, seen.seq());
        assertEquals(2, seen.publisher());
        assertEquals(77, seen.publisherIncarnation());
        String older = "{\"group\":\"line1\",\"seq\":4,\"members\":[],\"state\":\"\",\"stateEncoding\":\"utf-8\","
                + "\"coordinator\":1,\"publisher\":1,\"dissolved\":false}";
        ViewJson.Seen old = ViewJson.read(older.getBytes(StandardCharsets.UTF_8)).orElseThrow();
        assertEquals(0, old.publisherIncarnation());
        assertFalse(old.stale());
        assertTrue(ViewJson.read("{\"schema\":\"other/1\",\"group\":\"a\",\"seq\":1,\"publisher\":1}"
                .getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(ViewJson.read("[1]".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(ViewJson.read("{\"group\":".getBytes(StandardCharsets.UTF_8)).isEmpty());
    }

    @Test
    public void aStaleMarkKeepsTheViewAndItsPublisherAndSaysWhoMarkedIt() {
        byte[] view = ViewJson.of(view(List.of(new ProviderId(1, 1)), StateValue.ofUtf8("run")), 1, 55);
        byte[] marked = ViewJson.markedStale(ViewJson.read(view).orElseThrow().json(), 3);
        ViewJson.Seen seen = ViewJson.read(marked).orElseThrow();
        assertTrue(seen.stale());
        assertEquals(1, seen.publisher());
        assertEquals(55, seen.publisherIncarnation());
        assertEquals(3, seen.json().getInt("markedBy"));
        assertEquals("run", seen.json().getString("state"));
    }

    @Test
    public void binaryStateIsBase64AndAnEmptyGroupIsDissolved() {
        String j = json(view(List.of(), StateValue.of(new byte[] {(byte) 0xff, 0, 1})));
        assertTrue(j, j.contains("\"state\":\"/wAB\",\"stateEncoding\":\"base64\""));
        assertTrue(j, j.contains("\"members\":[]"));
        assertTrue(j, j.endsWith("\"dissolved\":true,\"stale\":false}"));
    }

    @Test
    public void theLowestNodeWithMembersPublishesAndEveryFormerHostPublishesADissolution() {
        List<ProviderId> members = List.of(new ProviderId(2, 1), new ProviderId(3, 1), new ProviderId(2, 5));
        GroupView v = view(members, StateValue.EMPTY);
        assertTrue(ViewPublisher.publishes(2, v, List.of()));
        assertFalse(ViewPublisher.publishes(3, v, List.of()));
        assertFalse(ViewPublisher.publishes(1, v, List.of(new ProviderId(1, 1)))); // node 1 left: 2 publishes now
        GroupView gone = view(List.of(), StateValue.EMPTY);
        assertTrue(ViewPublisher.publishes(3, gone, members));
        assertTrue(ViewPublisher.publishes(2, gone, members));
        assertFalse(ViewPublisher.publishes(1, gone, members));
    }
}
