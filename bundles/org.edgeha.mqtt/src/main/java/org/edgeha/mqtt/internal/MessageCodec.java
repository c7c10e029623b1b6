package org.edgeha.mqtt.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.edgeha.mqtt.api.OutboundMessage;

/**
 * How a stored message is laid out in the store: a version byte, then the message's fields. Version 2 (API
 * 1.2.0) adds the response topic and the correlation data after the payload; version 1 records still decode.
 */
final class MessageCodec {

    private static final int VERSION = 2;

    private MessageCodec() {
    }

    static byte[] encode(OutboundMessage message) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + message.topic().length() + message.payload().length);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeUTF(message.topic());
            out.writeByte(message.qos());
            out.writeBoolean(message.retained());
            out.writeShort(message.userProperties().size());
            for (Map.Entry<String, String> p : message.userProperties().entrySet()) {
                out.writeUTF(p.getKey());
                out.writeUTF(p.getValue());
            }
            byte[] payload = message.payload();
            out.writeInt(payload.length);
            out.write(payload);
            out.writeBoolean(message.responseTopic().isPresent());
            if (message.responseTopic().isPresent()) {
                out.writeUTF(message.responseTopic().get());
            }
            byte[] correlation = message.correlationData().orElse(null);
            out.writeInt(correlation == null ? -1 : correlation.length);
            if (correlation != null) {
                out.write(correlation);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    /** @throws IOException when the record is not a message this version wrote */
    static OutboundMessage decode(byte[] record) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(record));
        int version = in.readUnsignedByte();
        if (version != 1 && version != VERSION) {
            throw new IOException("stored message of unknown version " + version);
        }
        String topic = in.readUTF();
        int qos = in.readUnsignedByte();
        boolean retained = in.readBoolean();
        int properties = in.readUnsignedShort();
        Map<String, String> userProperties = new LinkedHashMap<>();
        for (int i = 0; i < properties; i++) {
            userProperties.put(in.readUTF(), in.readUTF());
        }
        int length = in.readInt();
        if (length < 0 || length > record.length) {
            throw new IOException("stored message with a bad payload length " + length);
        }
        byte[] payload = in.readNBytes(length);
        if (version == 1) {
            return new OutboundMessage(topic, payload, qos, retained, userProperties);
        }
        Optional<String> responseTopic = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
        int correlationLength = in.readInt();
        if (correlationLength < -1 || correlationLength > record.length) {
            throw new IOException("stored message with a bad correlation data length " + correlationLength);
        }
        Optional<byte[]> correlation = correlationLength < 0 ? Optional.empty()
                : Optional.of(in.readNBytes(correlationLength));
        return new OutboundMessage(topic, payload, qos, retained, userProperties, responseTopic, correlation);
    }
}
