package org.edgeha.gateway.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/** A log entry with an exception is one line on the console; the file keeps the stack trace (issue 14). */
public class LogFileConsoleTest {

    private static LogEntry entry(String message, Throwable exception) {
        return new LogEntry() {
            @Override
            public Bundle getBundle() {
                return null;
            }

            @Override
            public ServiceReference<?> getServiceReference() {
                return null;
            }

            @SuppressWarnings("deprecation")
            @Override
            public int getLevel() {
                return LogLevel.ERROR.ordinal();
            }

            @Override
            public String getMessage() {
                return message;
            }

            @Override
            public Throwable getException() {
                return exception;
            }

            @Override
            public long getTime() {
                return 0;
            }

            @Override
            public LogLevel getLogLevel() {
                return LogLevel.ERROR;
            }

            @Override
            public String getLoggerName() {
                return "test";
            }

            @Override
            public long getSequence() {
                return 1;
            }

            @Override
            public String getThreadInfo() {
                return "main";
            }

            @Override
            public StackTraceElement getLocation() {
                return null;
            }
        };
    }

    @Test
    public void theConsoleGetsOneLineAndTheFileTheTrace() {
        Exception failure = new IllegalArgumentException("broker.uris 'tcp//x' must look like tcp://host:port",
                new RuntimeException("inner"));
        LogEntry e = entry("[org.edgeha.mqtt.internal.MqttBridgeComponent(12)] The activate method has thrown an exception",
                failure);
        String console = LogFile.consoleLine(e, true);
        assertEquals(console, 1, console.lines().count());
        assertTrue(console, console.contains("ERROR [?] [org.edgeha.mqtt.internal.MqttBridgeComponent(12)] The activate "
                + "method has thrown an exception: broker.uris 'tcp//x' must look like tcp://host:port (stack trace in data/log)"));
        String file = LogFile.format(e);
        assertTrue("the file keeps the trace: " + file, file.contains("\tat ") && file.lines().count() > 3);
    }

    @Test
    public void aMessageThatAlreadySaysTheCauseIsNotRepeatedAndMultiLineCausesAreCut() {
        String console = LogFile.consoleLine(entry("Error while starting bundle: Unable to resolve x", new Exception(
                "Unable to resolve x")), false);
        assertTrue(console, console.endsWith("Error while starting bundle: Unable to resolve x" + System.lineSeparator()));
        String multi = LogFile.consoleLine(entry("failed", new Exception("first line\nsecond line")), true);
        assertEquals(multi, 1, multi.lines().count());
        assertTrue(multi, multi.contains("failed: first line (stack trace in data/log)"));
    }
}
