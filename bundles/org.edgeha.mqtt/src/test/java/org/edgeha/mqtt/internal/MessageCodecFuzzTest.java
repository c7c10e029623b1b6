package org.edgeha.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.edgeha.mqtt.api.OutboundMessage;
import org.edgeha.mqtt.api.PublishRejectedException;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The store-and-forward record, read back from disk after a crash. The last input byte picks the check:
 * <ul>
 * <li>even: the rest is a record. {@link MessageCodec#decode} returns a message or throws {@link IOException} (the
 * forwarder drops the record and goes on), never anything else; what it returns is a message the bridge could
 * have stored (it passes the publish checks and converts to Paho's), and it encodes to a record that decodes to the
 * same message.</li>
 * <li>odd: a message built from the rest that passes the publish checks encodes without failing and decodes to
 * itself.</li>
 * </ul>
 */
class MessageCodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decode(FuzzedDataProvider data) throws IOException {
        if (data.consumeBoolean()) {
            roundTrip(data);
            return;
        }
        OutboundMessage m;
        try {
            m = MessageCodec.decode(data.consumeRemainingAsBytes());
        } catch (IOException refused) {
            return;
        }
        try {
            ConnectionMessages.validate(m, Integer.MAX_VALUE);
        } catch (PublishRejectedException e) {
            throw new AssertionError("a stored record decodes to a message the bridge never stores: " + e.getMessage());
        }
        ConnectionMessages.toPaho(m);
        assertEquals(m, MessageCodec.decode(MessageCodec.encode(m)));
    }

    private static void roundTrip(FuzzedDataProvider data) throws IOException {
        String topic = data.consumeString(40);
        int qos = data.consumeInt(0, 2);
        boolean retained = data.consumeBoolean();
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            properties.put(data.consumeString(20), data.consumeString(20));
        }
        Optional<String> responseTopic = data.consumeBoolean() ? Optional.of(data.consumeString(40)) : Optional.empty();
        Optional<byte[]> correlation = data.consumeBoolean() ? Optional.of(data.consumeBytes(20)) : Optional.empty();
        OutboundMessage m = new OutboundMessage(topic, data.consumeRemainingAsBytes(), qos, retained, properties,
                responseTopic, correlation);
        try {
            ConnectionMessages.validate(m, Integer.MAX_VALUE);
        } catch (PublishRejectedException refused) {
            return;
        }
        byte[] record;
        try {
            record = MessageCodec.encode(m);
        } catch (UncheckedIOException e) {
            throw new AssertionError("a message the bridge accepts cannot be stored", e);
        }
        assertEquals(m, MessageCodec.decode(record));
    }
}
