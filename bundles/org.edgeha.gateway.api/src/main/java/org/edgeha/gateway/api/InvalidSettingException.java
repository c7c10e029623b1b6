package org.edgeha.gateway.api;

/**
 * A gateway setting has a value the runtime cannot use. The message names the setting, the value
 * given and what is expected, so that it can be shown to an operator as it is.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    /**
     * @param setting the setting's name, for example {@code edgeha.node}
     * @param message the whole message for the operator
     */
    public InvalidSettingException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    /** @return the name of the setting that is wrong, for example {@code edgeha.node} */
    public String setting() {
        return setting;
    }
}
