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
import org.edgeha.mqtt.api.PublishRejectedException;

/**
 * How a stored message is laid out in the store: a version byte, then the message's fields. Version 2 (API
 * 1.2.0) adds the response topic and the correlation data after the payload, version 3 (API 1.3.0) the content type
 * and the payload format indicator after those; records of versions 1 and 2 still decode.
 */
final class MessageCodec {

    private static final int VERSION = 3;

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
            out.writeBoolean(message.contentType().isPresent());
            if (message.contentType().isPresent()) {
                out.writeUTF(message.contentType().get());
            }
            out.writeBoolean(message.utf8Payload());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    /**
     * Reads a record back (after a restart, from disk): strictly, since the forwarder publishes what comes out.
     *
     * @throws IOException when the record is not a message this version wrote: truncated, with trailing bytes, or
     *     holding a message {@link ConnectionMessages#validate} refuses (bad QoS, topic, response topic)
     */
    static OutboundMessage decode(byte[] record) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(record));
        int version = in.readUnsignedByte();
        if (version < 1 || version > VERSION) {
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
        byte[] payload = readBytes(in, in.readInt(), "payload");
        OutboundMessage message;
        if (version == 1) {
            message = new OutboundMessage(topic, payload, qos, retained, userProperties);
        } else {
            Optional<String> responseTopic = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
            int correlationLength = in.readInt();
            Optional<byte[]> correlation = correlationLength == -1 ? Optional.empty()
                    : Optional.of(readBytes(in, correlationLength, "correlation data"));
            Optional<String> contentType = Optional.empty();
            boolean utf8 = false;
            if (version >= 3) {
                contentType = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
                utf8 = in.readBoolean();
            }
            message = new OutboundMessage(topic, payload, qos, retained, userProperties, responseTopic, correlation,
                    contentType, utf8);
        }
        if (in.available() > 0) {
            throw new IOException("stored message with " + in.available() + " trailing bytes");
        }
        try {
            ConnectionMessages.validate(message, Integer.MAX_VALUE);
        } catch (PublishRejectedException e) {
            throw new IOException("stored message that cannot be published: " + e.getMessage());
        }
        return message;
    }

    /** @return exactly {@code length} bytes (a length beyond the record fails before anything is allocated) */
    private static byte[] readBytes(DataInputStream in, int length, String what) throws IOException {
        if (length < 0 || length > in.available()) {
            throw new IOException("stored message with a bad " + what + " length " + length);
        }
        return in.readNBytes(length);
    }
}
