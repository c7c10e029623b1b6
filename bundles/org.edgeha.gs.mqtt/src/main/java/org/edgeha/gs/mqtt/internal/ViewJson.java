package org.edgeha.gs.mqtt.internal;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.ProviderId;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * The public view of a group (SPEC 3.4), as retained JSON for other systems (schema {@code GroupView} in
 * docs/asyncapi.yaml, explained in docs/mqtt-api.md):
 *
 * <pre>
 * {"schema":"edgeha.group-view/1","ts":1796669442207,"group":"line1","seq":7,"members":[{"node":1,"instance":1}],
 *  "state":"run","stateEncoding":"utf-8","coordinator":1,"publisher":1,"publisherIncarnation":1796669440001,
 *  "dissolved":false,"stale":false}
 * </pre>
 *
 * {@code state} is the state value as UTF-8 text when it is valid UTF-8, else base64 with
 * {@code "stateEncoding":"base64"}. Written and read with the distro's JSON library (jakarta.json).
 */
final class ViewJson {

    static final String SCHEMA = "edgeha.group-view/1";
    private static final String SCHEMA_NAME = "edgeha.group-view/";
    /** Larger retained views are not read back (a state value is at most what one MQTT message carries). */
    static final int MAX_READ_BYTES = 1 << 20;
    private static final JsonProvider JSON = JsonProvider.provider();

    /** A view read back from the broker: what the stale rule needs, and the object itself to copy. */
    record Seen(JsonObject json, String group, long seq, int publisher, long publisherIncarnation, boolean dissolved,
            boolean stale) {
    }

    private ViewJson() {
    }

    /**
     * @param publisher this gateway's node
     * @param incarnation this gateway's incarnation: the view is current while this incarnation is online
     */
    static byte[] of(GroupView view, int publisher, long incarnation) {
        JsonArrayBuilder members = JSON.createArrayBuilder();
        for (ProviderId p : view.members()) {
            members.add(JSON.createObjectBuilder().add("node", p.node()).add("instance", p.instance()));
        }
        byte[] state = view.state().bytes();
        String text = utf8(state);
        JsonObjectBuilder json = JSON.createObjectBuilder().add("schema", SCHEMA).add("ts", System.currentTimeMillis())
                .add("group", view.group()).add("seq", view.seq()).add("members", members)
                .add("state", text != null ? text : Base64.getEncoder().encodeToString(state))
                .add("stateEncoding", text != null ? "utf-8" : "base64").add("coordinator", view.coordinatorNode())
                .add("publisher", publisher).add("publisherIncarnation", incarnation)
                .add("dissolved", view.members().isEmpty()).add("stale", false);
        return bytes(json.build());
    }

    /**
     * The same view marked stale by {@code marker}: nobody who could keep it true is online (docs/mqtt-api.md, "No
     * stale truth"). {@code ts} is the time of marking; the rest, {@code publisher} included, stays as it was.
     */
    static byte[] markedStale(JsonObject seen, int marker) {
        JsonObjectBuilder json = JSON.createObjectBuilder(seen);
        if (!seen.containsKey("schema")) {
            json.add("schema", SCHEMA); // a view of an older gateway, marked now
        }
        return bytes(json.add("ts", System.currentTimeMillis()).add("stale", true).add("markedBy", marker).build());
    }

    private static byte[] bytes(JsonObject o) {
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a retained view with the JSON parser: any valid JSON object with these fields, in any order and layout.
     * Views of gateways older than the contract (no {@code schema}, {@code ts}, {@code publisherIncarnation},
     * {@code stale}) are read too.
     *
     * @return the view, or empty when the payload is not one (or is larger than {@link #MAX_READ_BYTES})
     */
    static Optional<Seen> read(byte[] payload) {
        if (payload.length == 0 || payload.length > MAX_READ_BYTES) {
            return Optional.empty();
        }
        try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(payload))) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject o)) {
                return Optional.empty();
            }
            if (o.containsKey("schema")
                    && !(o.get("schema") instanceof JsonString s && s.getString().startsWith(SCHEMA_NAME))) {
                return Optional.empty();
            }
            if (!(o.get("group") instanceof JsonString group) || !(o.get("seq") instanceof JsonNumber seq)
                    || !(o.get("publisher") instanceof JsonNumber publisher) || !whole(seq) || !whole(publisher)) {
                return Optional.empty();
            }
            long incarnation = o.get("publisherIncarnation") instanceof JsonNumber inc && whole(inc) ? inc.longValue() : 0;
            boolean dissolved = o.get("dissolved") == JsonValue.TRUE;
            boolean stale = o.get("stale") == JsonValue.TRUE;
            return Optional.of(new Seen(o, group.getString(), seq.longValue(), publisher.intValue(), incarnation,
                    dissolved, stale));
        } catch (JsonException | IllegalStateException notJson) {
            return Optional.empty();
        }
    }

    /** A whole number of at most 19 digits (checked before any conversion). */
    private static boolean whole(JsonNumber n) {
        java.math.BigDecimal d = n.bigDecimalValue();
        return d.scale() == 0 && d.precision() <= 19;
    }

    /** @return the text, or {@code null} when the bytes are not valid UTF-8 */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
