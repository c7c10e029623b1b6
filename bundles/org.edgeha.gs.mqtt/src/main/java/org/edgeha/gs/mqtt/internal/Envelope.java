package org.edgeha.gs.mqtt.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The authenticated frame around every Group Services message on the broker:
 *
 * <pre>
 *   'E' 'G' version(1)  sender node (int32)  sender incarnation (int64)  counter (int64)  payload  HMAC-SHA256 (32)
 * </pre>
 *
 * The MAC covers the full topic, so a message cannot be moved to another node's inbox or another domain, and
 * the header, so the sender cannot be changed. The counter grows with every message a sender publishes;
 * {@link ReplayGuard} keeps the newest seen per sender. Thread-safe: each call uses its own {@link Mac}.
 */
final class Envelope {

    static final int HEADER = 3 + 4 + 8 + 8;
    static final int MAC = 32;
    static final int OVERHEAD = HEADER + MAC;
    private static final byte VERSION = 1;

    /** A checked message: who sent it and what. */
    record Opened(int node, long incarnation, long counter, byte[] payload) {
    }

    /** Why a frame was refused: a short word for the counters. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    Envelope(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
            }
        });
    }

    byte[] seal(String topic, int node, long incarnation, long counter, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(HEADER + payload.length + MAC);
        out.put((byte) 'E').put((byte) 'G').put(VERSION).putInt(node).putLong(incarnation).putLong(counter).put(payload);
        out.put(mac(topic, out.array(), HEADER + payload.length));
        return out.array();
    }

    Opened open(String topic, byte[] frame, int maxBytes) throws Rejected {
        if (frame.length > maxBytes) {
            throw new Rejected("oversized");
        }
        if (frame.length < OVERHEAD) {
            throw new Rejected("truncated");
        }
        if (frame[0] != 'E' || frame[1] != 'G' || frame[2] != VERSION) {
            throw new Rejected("malformed");
        }
        int body = frame.length - MAC;
        byte[] expected = mac(topic, frame, body);
        if (!macMatches(expected, frame, body)) {
            throw new Rejected("bad-mac");
        }
        ByteBuffer in = ByteBuffer.wrap(frame, 3, HEADER - 3);
        int node = in.getInt();
        long incarnation = in.getLong();
        long counter = in.getLong();
        if (node <= 0 || incarnation <= 0 || counter <= 0) {
            throw new Rejected("malformed"); // authentic but nonsense: a bug at the sender
        }
        return new Opened(node, incarnation, counter, Arrays.copyOfRange(frame, HEADER, body));
    }

    private byte[] mac(String topic, byte[] data, int length) {
        Mac mac = macs.get(); // one per thread, initialised once: Mac.getInstance + init per frame is costly
        mac.update(topic.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(data, 0, length);
        return mac.doFinal();
    }

    /** Constant time, as {@link MessageDigest#isEqual}, without copying the frame's MAC out first. */
    private static boolean macMatches(byte[] expected, byte[] frame, int at) {
        int diff = 0;
        for (int i = 0; i < MAC; i++) {
            diff |= expected[i] ^ frame[at + i];
        }
        return diff == 0;
    }
}
