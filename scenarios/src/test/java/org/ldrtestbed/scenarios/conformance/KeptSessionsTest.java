package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.scenarios.engine.AdminApi;
import org.ldrtestbed.scenarios.engine.TestbedConnection;

/** The session's report put on the server as the realm's administrator, against a stand-in testbed. */
class KeptSessionsTest {

    private static final String SESSION = "conform-dot-reference-20260301-090000";
    private static final String REPORT = "{\"session\": \"" + SESSION + "\", \"verdict\": \"PASS\"}";

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private int keepStatus = 201;

    @BeforeEach
    void aStandInTestbed() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realms/ldr-testbed/protocol/openid-connect/token", exchange -> {
            seen.add("token " + body(exchange));
            answer(exchange, 200, "{\"access_token\": \"admin-token\", \"expires_in\": 300}");
        });
        server.createContext("/testbed/conformance/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " " + body(exchange));
            answer(exchange, keepStatus, "{}");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theReportIsPutAsIsAsTheRealmsAdministrator() throws Exception {
        String said = keptSessions().keep(SESSION, REPORT);

        assertThat(said).startsWith("Session kept on the server: ").endsWith("/testbed/conformance/" + SESSION);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).startsWith("token ").contains("username=digitallead.okonjo");
        assertThat(seen.get(1)).isEqualTo("PUT /testbed/conformance/" + SESSION + " Bearer admin-token " + REPORT);
    }

    @Test
    void aServerThatDoesNotKeepItIsSaidSo() throws Exception {
        keepStatus = 404;

        assertThat(keptSessions().keep(SESSION, REPORT)).startsWith("The server did not keep the session (HTTP 404)");
    }

    private KeptSessions keptSessions() {
        RealmDefinition realm = RealmFiles.load("classpath:identity/ldr-testbed-realm.json");
        TestbedConnection connection = TestbedConnection.forTestbed(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir", realm.realm());
        return new KeptSessions(AdminApi.asAdministrator(connection, realm, HttpClient.newHttpClient())
                .orElseThrow());
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
