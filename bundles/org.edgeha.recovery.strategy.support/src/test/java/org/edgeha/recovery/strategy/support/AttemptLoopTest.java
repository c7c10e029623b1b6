package org.edgeha.recovery.strategy.support;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;

import org.junit.Test;

/** The loop itself is tested through each strategy's recovery, on virtual time and on real sockets. */
public class AttemptLoopTest {

    @Test
    public void interruptionIsRecognisedInWrappedFailuresButNotInTimeouts() {
        assertTrue(AttemptLoop.isInterruption(new Exception(new ClosedByInterruptException())));
        assertTrue(AttemptLoop.isInterruption(new java.io.InterruptedIOException()));
        assertFalse(AttemptLoop.isInterruption(new SocketTimeoutException()));
        assertFalse(AttemptLoop.isInterruption(new ConnectException()));
    }
}
