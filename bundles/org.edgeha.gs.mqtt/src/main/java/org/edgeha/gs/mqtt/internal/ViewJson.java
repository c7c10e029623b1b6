package org.edgeha.gs.mqtt.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.ProviderId;

/**
 * The public view of a group (SPEC 3.4), as retained JSON for other systems:
 *
 * <pre>
 * {"group":"line1","seq":7,"members":[{"node":1,"instance":1}],"state":"run","stateEncoding":"utf-8",
 *  "coordinator":1,"publisher":1,"dissolved":false}
 * </pre>
 *
 * {@code state} is the state value as UTF-8 text when it is valid UTF-8, else base64 with
 * {@code "stateEncoding":"base64"}. Group names are limited to {@code [A-Za-z0-9._-]}, so they need no escaping;
 * the state text is escaped.
 */
final class ViewJson {

    private ViewJson() {
    }

    static byte[] of(GroupView view, int publisher) {
        StringBuilder json = new StringBuilder(128);
        json.append("{\"group\":");
        string(json, view.group());
        json.append(",\"seq\":").append(view.seq()).append(",\"members\":[");
        for (int i = 0; i < view.members().size(); i++) {
            ProviderId p = view.members().get(i);
            json.append(i == 0 ? "" : ",").append("{\"node\":").append(p.node()).append(",\"instance\":")
                    .append(p.instance()).append('}');
        }
        json.append("],\"state\":");
        byte[] state = view.state().bytes();
        String text = utf8(state);
        if (text != null) {
            string(json, text);
            json.append(",\"stateEncoding\":\"utf-8\"");
        } else {
            string(json, Base64.getEncoder().encodeToString(state));
            json.append(",\"stateEncoding\":\"base64\"");
        }
        json.append(",\"coordinator\":").append(view.coordinatorNode()).append(",\"publisher\":").append(publisher)
                .append(",\"dissolved\":").append(view.members().isEmpty()).append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
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

    private static void string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
