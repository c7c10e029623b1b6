package org.edgeha.webconsole.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Felix Web Console's password format, so that EdgeHA can store a hashed password the console accepts and tell
 * whether a configured one is the stock {@code admin}: {@code {sha-256}SALT-ITERATIONS-BASE64}, where BASE64 is
 * SHA-256 applied ITERATIONS times to the UTF-8 bytes of SALT followed by the password; without SALT and ITERATIONS
 * ({@code {sha-256}BASE64}) one unsalted round; a value without {@code {algorithm}} is a plain-text password. This is
 * the format of the console's own {@code Password} class (5.0.18), which is internal to it. Stateless.
 */
final class WebConsolePassword {

    /** The console's default password, "admin". */
    static final String STOCK = "admin";
    static final int ITERATIONS = 1000;

    private WebConsolePassword() {
    }

    /** @return {@code password} hashed with a new random salt, in the console's format */
    static String hash(String password) {
        byte[] salt = new byte[8];
        new SecureRandom().nextBytes(salt);
        return hash(password, HexFormat.of().formatHex(salt), ITERATIONS);
    }

    static String hash(String password, String salt, int iterations) {
        String prefix = "{sha-256}" + (salt.isEmpty() ? "" : salt + "-" + (iterations > 1 ? iterations + "-" : ""));
        return prefix + Base64.getEncoder().encodeToString(digest(salt + password, iterations));
    }

    /** @return whether the configured value (hashed or plain) accepts {@code candidate} */
    static boolean matches(String configured, String candidate) {
        if (!configured.startsWith("{") || configured.indexOf('}') < 0) {
            return MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8),
                    candidate.getBytes(StandardCharsets.UTF_8));
        }
        int end = configured.indexOf('}');
        String algorithm = configured.substring(1, end);
        if (!algorithm.equalsIgnoreCase("sha-256")) {
            return false; // another algorithm: not one EdgeHA writes; it is not the stock value either way we can tell
        }
        String rest = configured.substring(end + 1);
        String[] parts = rest.split("-", -1);
        String salt = "";
        int iterations = 1;
        String hash = rest;
        if (parts.length == 2) {
            salt = parts[0];
            hash = parts[1];
        } else if (parts.length == 3) {
            salt = parts[0];
            try {
                iterations = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return false;
            }
            hash = parts[2];
        }
        String expected = Base64.getEncoder().encodeToString(digest(salt + candidate, iterations));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] digest(String text, int iterations) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < iterations; i++) {
                md.reset();
                bytes = md.digest(bytes);
            }
            return bytes;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
