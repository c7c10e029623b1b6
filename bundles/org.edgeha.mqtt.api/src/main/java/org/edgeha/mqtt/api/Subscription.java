package org.edgeha.mqtt.api;

import org.osgi.annotation.versioning.ProviderType;

/** An active subscription; {@link #close()} unsubscribes (idempotent). It survives reconnects. */
@ProviderType
public interface Subscription extends AutoCloseable {

    /** @return the topic filter */
    String topicFilter();

    @Override
    void close();
}
