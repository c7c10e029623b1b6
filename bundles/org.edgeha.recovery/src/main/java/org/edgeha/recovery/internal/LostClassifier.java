package org.edgeha.recovery.internal;

import java.net.SocketTimeoutException;
import java.nio.channels.InterruptedByTimeoutException;
import java.util.List;

/**
 * Decides whether a failure means "the connection broke": by exception class (the class or one of its
 * superclasses, on the failure or any of its causes) or by a message fragment. Immutable.
 */
final class LostClassifier {

    private final List<String> classNames;
    private final List<String> messages;
    private final boolean timeoutIsLost;

    LostClassifier(String[] classNames, String[] messages, boolean timeoutIsLost) {
        this.classNames = List.of(classNames);
        this.messages = List.of(messages);
        this.timeoutIsLost = timeoutIsLost;
    }

    boolean isLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof InterruptedByTimeoutException) {
                if (timeoutIsLost) {
                    return true;
                }
                continue; // a timeout is a SocketException subclass only for some; never lost by class
            }
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                if (classNames.contains(c.getName())) {
                    return true;
                }
            }
            String message = t.getMessage();
            if (message != null && messages.stream().anyMatch(message::contains)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "classes " + classNames + ", messages " + messages + (timeoutIsLost ? ", timeouts" : "");
    }
}
