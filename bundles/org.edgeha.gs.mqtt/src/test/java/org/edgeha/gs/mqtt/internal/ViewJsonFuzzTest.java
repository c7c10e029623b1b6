package org.edgeha.gs.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.StateValue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The public view's JSON, read back by a strict JSON parser (nothing in the gateway reads it; other systems do): for
 * any view (any state bytes, any group name) {@link ViewJson#of} writes one JSON object whose fields give the view
 * back exactly, the state as UTF-8 text or base64 as announced.
 */
class ViewJsonFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void readBack(FuzzedDataProvider data) {
        String group = data.consumeString(40);
        long seq = data.consumeLong();
        int coordinator = data.consumeInt();
        int publisher = data.consumeInt();
        List<ProviderId> members = new ArrayList<>();
        for (int i = data.consumeInt(0, 4); i > 0; i--) {
            members.add(new ProviderId((int) within(data.consumeInt(1, Integer.MAX_VALUE), 1, Integer.MAX_VALUE),
                    (int) within(data.consumeInt(0, Integer.MAX_VALUE), 0, Integer.MAX_VALUE)));
        }
        long incarnation = data.consumeLong();
        byte[] state = data.consumeRemainingAsBytes();
        GroupView view = new GroupView(group, seq, members, StateValue.of(state), GroupAttributes.DEFAULT,
                Optional.empty(), coordinator);

        String json = new String(ViewJson.of(view, publisher, incarnation), StandardCharsets.UTF_8);
        JsonObject o;
        try (var reader = Json.createReader(new StringReader(json))) {
            o = reader.readObject();
        }
        assertEquals(wellFormed(group), o.getString("group"));
        assertEquals(seq, o.getJsonNumber("seq").longValueExact());
        List<JsonValue> read = o.getJsonArray("members");
        assertEquals(members.size(), read.size());
        for (int i = 0; i < members.size(); i++) {
            JsonObject m = read.get(i).asJsonObject();
            assertEquals(members.get(i), new ProviderId(m.getInt("node"), m.getInt("instance")));
        }
        String encoding = o.getString("stateEncoding");
        byte[] back = encoding.equals("utf-8") ? o.getString("state").getBytes(StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(o.getString("state"));
        assertArrayEquals(state, back, encoding);
        assertEquals(coordinator, o.getInt("coordinator"));
        assertEquals(publisher, o.getInt("publisher"));
        assertEquals(incarnation, o.getJsonNumber("publisherIncarnation").longValueExact());
        assertEquals(members.isEmpty(), o.getBoolean("dissolved"));
        assertEquals(false, o.getBoolean("stale"));
        assertEquals("edgeha.group-view/1", o.getString("schema"));
        assertEquals(12, o.size());
    }

    /** What survives UTF-8: a lone surrogate becomes '?' (valid group names are ASCII; the engine checks them). */
    private static String wellFormed(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /** Jazzer 0.24.0's ranged consume methods can leave wide ranges (seen in regression mode); fold back in. */
    private static long within(long v, long min, long max) {
        return v >= min && v <= max ? v : min + (v & Long.MAX_VALUE) % (max - min);
    }
}
