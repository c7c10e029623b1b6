package org.edgeha.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class WebConsolePasswordTest {

    /** The Felix Web Console 5.0.18's built-in default (its OsgiManager.DEFAULT_PASSWORD), which is "admin". */
    private static final String CONSOLE_DEFAULT = "{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=";

    @Test
    public void theConsolesOwnDefaultIsRecognisedAsTheStockPassword() {
        assertEquals(CONSOLE_DEFAULT, WebConsolePassword.hash("admin", "", 1));
        assertTrue(WebConsolePassword.matches(CONSOLE_DEFAULT, "admin"));
        assertTrue("plain text", WebConsolePassword.matches("admin", "admin"));
        assertFalse(WebConsolePassword.matches("adminx", "admin"));
    }

    @Test
    public void aHashedPasswordIsSaltedIteratedAndMatchesOnlyItself() {
        String hashed = WebConsolePassword.hash("long secret");
        assertTrue(hashed, hashed.matches("\\{sha-256\\}[0-9a-f]{16}-1000-[A-Za-z0-9+/]+=*"));
        assertTrue(WebConsolePassword.matches(hashed, "long secret"));
        assertFalse(WebConsolePassword.matches(hashed, "admin"));
        assertNotEquals("a new salt each time", hashed, WebConsolePassword.hash("long secret"));
        // salt without iterations (the console's format allows it): one round
        String oneRound = WebConsolePassword.hash("pw", "abcd", 1);
        assertTrue(oneRound, oneRound.startsWith("{sha-256}abcd-") && !oneRound.contains("-1-"));
        assertTrue(WebConsolePassword.matches(oneRound, "pw"));
    }

    @Test
    public void anotherAlgorithmIsNotTakenForTheStockPassword() {
        assertFalse(WebConsolePassword.matches("{sha-512}whatever", "admin"));
    }
}
