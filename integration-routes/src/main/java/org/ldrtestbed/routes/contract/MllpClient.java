package org.ldrtestbed.routes.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Sends one HL7v2 message over MLLP and returns the acknowledgement: what a hospital system does, and what the
 * journey engine and tests use to play one.
 */
public final class MllpClient {

    private static final int START = 0x0b;
    private static final int END_1 = 0x1c;
    private static final int END_2 = 0x0d;

    private final URI endpoint;

    /** @param endpoint {@code mllp://host:port} */
    public MllpClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** Sends ER7 text (segments separated by carriage returns or new lines) and returns the ACK's ER7 text. */
    public String send(String er7) throws IOException {
        String message = er7.strip().replace("\r\n", "\r").replace('\n', '\r');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(START);
            out.write(message.getBytes(StandardCharsets.UTF_8));
            out.write(END_1);
            out.write(END_2);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** MSA-1 of an ACK: AA, AE or AR (null if there is no MSA segment). */
    public static String acknowledgementCode(String ack) {
        return msa(ack, 1);
    }

    /** MSA-3 of an ACK, unescaped: the receiver's text, e.g. why it rejected the message. */
    public static String acknowledgementText(String ack) {
        String text = msa(ack, 3);
        return text == null
                ? null
                : text.replace("\\F\\", "|")
                        .replace("\\S\\", "^")
                        .replace("\\T\\", "&")
                        .replace("\\R\\", "~")
                        .replace("\\E\\", "\\");
    }

    private static String msa(String ack, int field) {
        for (String segment : ack.split("\r")) {
            if (segment.startsWith("MSA|")) {
                String[] fields = segment.split("\\|", -1);
                return field < fields.length ? fields[field] : null;
            }
        }
        return null;
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == END_2 && previous == END_1) {
                byte[] bytes = buffer.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            if (b != START || buffer.size() > 0) {
                buffer.write(b);
            }
            previous = b;
        }
        throw new IOException("The MLLP peer closed the connection before acknowledging");
    }
}
