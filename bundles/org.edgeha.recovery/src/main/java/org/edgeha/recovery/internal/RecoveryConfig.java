package org.edgeha.recovery.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the recovery service, PID {@value HaConnectionsImpl#PID}. */
@ObjectClassDefinition(name = "EdgeHA connection recovery",
        description = "Limits, the recovery timeout and what counts as a broken connection.")
@interface RecoveryConfig {

    @AttributeDefinition(name = "HA-aware connections", description = "Most connections that may be HA-aware at once (ENOMEM beyond)", min = "1")
    int max_ha_connections() default 1024;

    @AttributeDefinition(name = "Connections", description = "Most connections in the table at once (ENOMEM beyond)", min = "1")
    int max_connections() default 4096;

    @AttributeDefinition(name = "Recovery timeout (ms)",
            description = "Longest a recovery function may run; the caller then gets the original error", min = "1")
    long recovery_timeout_ms() default 30_000;

    @AttributeDefinition(name = "TCP: broken-connection exceptions",
            description = "Exception classes (or superclasses, also as causes) that mean a TCP connection broke")
    String[] tcp_lost_exceptions() default {"java.nio.channels.ClosedChannelException", "java.net.SocketException",
        "java.io.EOFException", "java.nio.channels.NotYetConnectedException"};

    @AttributeDefinition(name = "File: broken-connection exceptions",
            description = "Exception classes that mean a file connection broke")
    String[] file_lost_exceptions() default {"java.nio.channels.ClosedChannelException"};

    @AttributeDefinition(name = "Broken-connection messages",
            description = "Any exception whose message contains one of these also means the connection broke")
    String[] lost_messages() default {"Stale file handle", "Broken pipe", "Connection reset"};

    @AttributeDefinition(name = "Timeouts are broken connections",
            description = "Whether a read timeout (SocketTimeoutException) counts as a broken connection")
    boolean timeout_is_lost() default false;
}
