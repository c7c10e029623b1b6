package org.edgeha.recovery.api;

/** The error codes of the connection recovery service, named after the QNX errno values they stand for. */
public enum HaError {
    /** No such connection, or it is closed; or it is not HA-aware where it must be. */
    EBADF("bad connection id"),
    /** The connection is already HA-aware and {@link HaConnections#REPLACE_RECOVERY_FN} was not given. */
    EEXIST("already HA-aware"),
    /** The runtime's limit on HA-aware connections (or on connections) is reached. */
    ENOMEM("no room for another HA-aware connection"),
    /** An argument is invalid: an unknown control command, a wrong resource type, a bad value. */
    EINVAL("invalid argument");

    private final String meaning;

    HaError(String meaning) {
        this.meaning = meaning;
    }

    /** @return a few words saying what the code means */
    public String meaning() {
        return meaning;
    }
}
