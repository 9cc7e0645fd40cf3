package org.ldrtestbed.scenarios.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Following a run's message log against a stand-in for the server's long poll. */
class RunMessagesTest {

    private record Entry(long sequence, String messageId, String stage) {
        String json() {
            return "{\"sequence\":" + sequence + ",\"messageId\":\"" + messageId + "\",\"stage\":\"" + stage
                    + "\",\"flowCode\":\"discharge-summary\"}";
        }
    }

    /** What the stand-in log shows: entries become visible when their transaction commits, in any order. */
    private final List<Entry> visible = new CopyOnWriteArrayList<>();

    private HttpServer server;
    private RunMessages messages;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/testbed/runs/", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            long after = Long.parseLong(query.replaceAll(".*after=(\\d+).*", "$1"));
            String body = "["
                    + String.join(
                            ",",
                            visible.stream()
                                    .filter(e -> e.sequence() > after)
                                    .map(Entry::json)
                                    .toList()) + "]";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        messages = new RunMessages(
                new MessageLogClient(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), () -> "t"),
                "run-1");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aMessageIsSettledOnceDelivered() throws Exception {
        visible.add(new Entry(1, "m1", "RECEIVED"));
        messages.catchUp();
        assertThat(messages.allSettled()).isFalse();
        visible.add(new Entry(2, "m1", "DELIVERED"));
        assertThat(messages.catchUp()).extracting(RunMessages.Settled::stage).containsExactly("DELIVERED");
        assertThat(messages.allSettled()).isTrue();
    }

    @Test
    void anEntryCommittedAfterOneWithAHigherNumberIsNotMissed() throws Exception {
        visible.add(new Entry(1, "m1", "RECEIVED"));
        visible.add(new Entry(3, "m1", "DELIVERED"));
        messages.catchUp();
        assertThat(messages.allSettled()).isTrue();
        // Sequence 2 was taken before 3 but its transaction committed later; then the log moves on.
        visible.add(new Entry(2, "m2", "RECEIVED"));
        visible.add(new Entry(4, "m1", "TRANSFORMED"));
        messages.catchUp();
        assertThat(messages.allSettled()).as("m2 is in flight").isFalse();
        visible.add(new Entry(5, "m2", "DELIVERED"));
        messages.catchUp();
        assertThat(messages.allSettled()).isTrue();
    }

    @Test
    void anEntryReadTwiceCountsOnce() throws Exception {
        visible.add(new Entry(1, "m1", "RECEIVED"));
        visible.add(new Entry(2, "m1", "DELIVERED"));
        assertThat(messages.catchUp()).hasSize(1);
        visible.add(new Entry(3, "m2", "RECEIVED"));
        // The read back over the last entries shows 2 again: it is not settled a second time.
        assertThat(messages.catchUp()).isEmpty();
    }
}
