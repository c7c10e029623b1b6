package org.edgeha.mqtt.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.edgeha.mqtt.api.InboundMessage;
import org.edgeha.mqtt.api.OutboundMessage;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.Test;

/** The MQTT 5 request/response fields (API 1.2.0) through the store's codec and into Paho's message. */
public class MessageCodecTest {

    private static final byte[] CORRELATION = {1, 2, 3, 0, -1};

    @Test
    public void responseTopicAndCorrelationSurviveTheStore() throws Exception {
        OutboundMessage m = new OutboundMessage("a/b", "x".getBytes(StandardCharsets.UTF_8), 1, false,
                Map.of("k", "v"), Optional.of("reply/here"), Optional.of(CORRELATION));
        OutboundMessage back = MessageCodec.decode(MessageCodec.encode(m));
        assertEquals(m, back);
        assertEquals(Optional.of("reply/here"), back.responseTopic());
        assertArrayEquals(CORRELATION, back.correlationData().orElseThrow());
        OutboundMessage plain = OutboundMessage.of("a", new byte[0]);
        assertEquals(plain, MessageCodec.decode(MessageCodec.encode(plain)));
    }

    @Test
    public void version1RecordsStillDecode() throws Exception {
        // version 1 layout: version, topic, qos, retained, property count, payload length, payload
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeByte(1);
        out.writeUTF("t");
        out.writeByte(1);
        out.writeBoolean(false);
        out.writeShort(0);
        out.writeInt(2);
        out.write(new byte[] {7, 8});
        OutboundMessage m = MessageCodec.decode(bytes.toByteArray());
        assertEquals(new OutboundMessage("t", new byte[] {7, 8}, 1, false, Map.of()), m);
    }

    @Test
    public void toPahoCarriesThem() {
        InboundMessage request = new InboundMessage("req", new byte[0], 1, false, false, Map.of(),
                Optional.of("resp/topic"), Optional.of(CORRELATION));
        MqttMessage paho = ConnectionMessages.toPaho(OutboundMessage.replyTo(request, new byte[] {9}));
        assertEquals(null, paho.getProperties().getResponseTopic());
        assertArrayEquals(CORRELATION, paho.getProperties().getCorrelationData());
        MqttMessage plain = ConnectionMessages.toPaho(OutboundMessage.of("a", new byte[0]));
        assertNull(plain.getProperties().getCorrelationData());
        MqttMessage asking = ConnectionMessages.toPaho(new OutboundMessage("a", new byte[0], 1, false, Map.of(),
                Optional.of("r"), Optional.empty()));
        assertEquals("r", asking.getProperties().getResponseTopic());
    }

    /** Found by MessageCodecFuzzTest: records the bridge never writes used to decode, and then stopped the forwarder. */
    @Test
    public void recordsThatCannotBePublishedAreRefused() throws Exception {
        byte[] good = MessageCodec.encode(new OutboundMessage("a/b", new byte[] {1, 2}, 1, false, Map.of("k", "v"),
                Optional.of("r"), Optional.of(CORRELATION)));
        refused(MessageCodec.encode(OutboundMessage.of("", new byte[0]))); // empty topic
        refused(MessageCodec.encode(OutboundMessage.of("a/#", new byte[0]))); // wildcard
        refused(MessageCodec.encode(new OutboundMessage("a", new byte[0], 3, false, Map.of()))); // QoS 3
        refused(MessageCodec.encode(new OutboundMessage("a", new byte[0], 1, false, Map.of(), Optional.of("r/+"),
                Optional.empty()))); // wildcard response topic
        refused(java.util.Arrays.copyOf(good, good.length + 1)); // trailing byte
        for (int cut = 0; cut < good.length; cut++) {
            refused(java.util.Arrays.copyOf(good, cut)); // truncated anywhere, the payload included
        }
    }

    /** Beyond 65535 bytes an MQTT string (and the store's record) cannot hold a user property: refused at publish. */
    @Test
    public void userPropertiesBeyondAnMqttStringAreRefused() throws Exception {
        OutboundMessage m = new OutboundMessage("a", new byte[0], 1, false, Map.of("k", "\u00e9".repeat(40_000)));
        try {
            ConnectionMessages.validate(m, 1024);
            org.junit.Assert.fail("accepted a user property of 80000 bytes");
        } catch (org.edgeha.mqtt.api.PublishRejectedException expected) {
            assertEquals(org.edgeha.mqtt.api.PublishRejectedException.Reason.INVALID_MESSAGE, expected.reason());
        }
        ConnectionMessages.validate(new OutboundMessage("a", new byte[0], 1, false, Map.of("k", "x".repeat(65_535))), 1024);
    }

    private static void refused(byte[] record) {
        try {
            MessageCodec.decode(record);
            org.junit.Assert.fail("decoded " + java.util.Arrays.toString(record));
        } catch (java.io.IOException expected) {
            // the forwarder drops it and goes on
        }
    }
}
