package org.edgeha.management.internal;

/** The reply to a management request: {@code {"node":N,"op":"…","ok":true|false,"message":"…"}}. */
final class Replies {

    private Replies() {
    }

    static String json(int node, String op, boolean ok, String message) {
        return "{\"node\":" + node + ",\"op\":" + quote(op) + ",\"ok\":" + ok + ",\"message\":" + quote(message) + "}";
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
