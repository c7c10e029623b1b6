package org.edgeha.management.internal;

/**
 * The reply to a management request (schema {@code ManageReply} in docs/asyncapi.yaml):
 * {@code {"schema":"edgeha.manage-reply/1","ts":…,"node":N,"op":"…","ok":true|false,"message":"…"}}.
 */
final class Replies {

    static final String SCHEMA = "edgeha.manage-reply/1";

    private Replies() {
    }

    static String json(int node, String op, boolean ok, String message) {
        return "{\"schema\":\"" + SCHEMA + "\",\"ts\":" + System.currentTimeMillis() + ",\"node\":" + node + ",\"op\":"
                + quote(op) + ",\"ok\":" + ok + ",\"message\":" + quote(message) + "}";
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
