package org.edgeha.testing.broker;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The least MQTT 3.1.1 a probe needs, over a plain socket: CONNECT (clean session), SUBSCRIBE and PUBLISH at
 * QoS 0, DISCONNECT. This module has no compile dependencies (every module's tests put it on their class path),
 * so no MQTT client library is used. Not thread-safe: one thread per instance.
 */
final class RawMqtt implements AutoCloseable {

    private static final int CONNECT = 0x10;
    private static final int CONNACK = 0x20;
    private static final int PUBLISH = 0x30;
    private static final int SUBSCRIBE = 0x82; // type 8 with the reserved flags 0010
    private static final int SUBACK = 0x90;
    private static final int DISCONNECT = 0xE0;
    private static final int KEEPALIVE_SECONDS = 60;
    private static final int PACKET_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawMqtt(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:port and returns once the broker accepted the session. */
    static RawMqtt connect(int port, String clientId) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(Ports.LOOPBACK, port), PACKET_TIMEOUT_MILLIS);
            RawMqtt mqtt = new RawMqtt(socket);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writeString(body, "MQTT");
            body.write(4); // protocol level 3.1.1
            body.write(0x02); // clean session
            body.write(KEEPALIVE_SECONDS >> 8);
            body.write(KEEPALIVE_SECONDS & 0xFF);
            writeString(body, clientId);
            mqtt.send(CONNECT, body);
            byte[] connack = mqtt.expect(CONNACK);
            if (connack.length != 2 || connack[1] != 0) {
                throw new IOException("broker on port " + port + " refused CONNECT from " + clientId);
            }
            return mqtt;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Subscribes at QoS 0 and returns once the broker acknowledged it. */
    void subscribe(String topicFilter) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(1); // packet id 1: one subscription per connection is all a probe needs
        writeString(body, topicFilter);
        body.write(0); // QoS 0
        send(SUBSCRIBE, body);
        expect(SUBACK);
    }

    void publish(String topic, String payload) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.writeBytes(payload.getBytes(UTF_8));
        send(PUBLISH, body);
    }

    /** Waits up to {@code millis} for a PUBLISH on exactly {@code topic}; other packets are skipped. */
    boolean awaitPublish(String topic, long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (long left = millis; left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
            socket.setSoTimeout((int) Math.max(1, left));
            int header;
            try {
                header = in.readUnsignedByte();
            } catch (SocketTimeoutException e) {
                return false;
            }
            byte[] body = readBody();
            if ((header & 0xF0) == PUBLISH && topicOf(body).equals(topic)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            out.write(new byte[] {(byte) DISCONNECT, 0});
        } catch (IOException e) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    private void send(int header, ByteArrayOutputStream body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(header);
        for (int length = body.size();;) { // "remaining length": 7 bits a byte, high bit = more follows
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
            if (length == 0) {
                break;
            }
        }
        body.writeTo(packet);
        out.write(packet.toByteArray());
        out.flush();
    }

    /** Reads packets until one of {@code type}; returns its body. */
    private byte[] expect(int type) throws IOException {
        socket.setSoTimeout(PACKET_TIMEOUT_MILLIS);
        while (true) {
            int header = in.readUnsignedByte();
            byte[] body = readBody();
            if ((header & 0xF0) == (type & 0xF0)) {
                return body;
            }
        }
    }

    private byte[] readBody() throws IOException {
        socket.setSoTimeout(PACKET_TIMEOUT_MILLIS); // the first byte arrived: the rest follows at once
        int length = 0;
        for (int shift = 0, digit = 0x80; (digit & 0x80) != 0; shift += 7) {
            digit = in.readUnsignedByte();
            length |= (digit & 0x7F) << shift;
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return body;
    }

    private static String topicOf(byte[] publishBody) {
        int length = ((publishBody[0] & 0xFF) << 8) | (publishBody[1] & 0xFF);
        return new String(publishBody, 2, length, UTF_8);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }
}
