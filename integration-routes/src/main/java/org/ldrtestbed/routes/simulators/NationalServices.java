package org.ldrtestbed.routes.simulators;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Json;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.StubMappingCollection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The national services and supplier systems the flows call (CP-IS, EPS on Spine, ...), played by WireMock from the
 * stub files under {@code simulators/} on the classpath. Sentinel NHS numbers make them misbehave as NHS test kits
 * do: see {@code simulators/sentinels.json}.
 */
public final class NationalServices implements AutoCloseable {

    /** Where the stub files live; read with Spring's resolver so they load from a packaged jar too. */
    public static final String STUBS = "classpath*:simulators/*.json";

    private final WireMockServer server;
    private final URI baseUrl;

    private NationalServices(WireMockServer server, URI baseUrl) {
        this.server = server;
        this.baseUrl = baseUrl;
    }

    /** Services running elsewhere (a supplier's test system, or simulators shared by several testbeds). */
    public static NationalServices at(URI baseUrl) {
        return new NationalServices(null, baseUrl);
    }

    /** Starts the simulators on {@code port} (0 for any free port) with every stub file loaded. */
    public static NationalServices start(int port) {
        CpIsUploads cpIsUploads = new CpIsUploads();
        WireMockServer server = new WireMockServer(WireMockConfiguration.options()
                .extensions(cpIsUploads)
                .port(port)
                .bindAddress("127.0.0.1")
                .maxRequestJournalEntries(10_000)
                .containerThreads(16));
        cpIsUploads.attach(server);
        server.start();
        try {
            for (Resource stubs : new PathMatchingResourcePatternResolver().getResources(STUBS)) {
                try (InputStream in = stubs.getInputStream()) {
                    String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    for (StubMapping stub :
                            Json.read(json, StubMappingCollection.class).getMappingOrMappings()) {
                        server.addStubMapping(stub);
                    }
                }
            }
        } catch (IOException e) {
            server.stop();
            throw new UncheckedIOException("Cannot load simulator stubs " + STUBS + ": " + e.getMessage(), e);
        }
        return new NationalServices(server, URI.create("http://127.0.0.1:" + server.port()));
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** Whether these are the testbed's own simulators (whose requests tests can inspect). */
    public boolean simulated() {
        return server != null;
    }

    public int stubCount() {
        return simulatedServer().getStubMappings().size();
    }

    private WireMockServer simulatedServer() {
        if (server == null) {
            throw new IllegalStateException("National services at " + baseUrl + " are not the testbed's simulators");
        }
        return server;
    }

    /** The requests the simulators have received, for tests that check what a flow told a national service. */
    public java.util.List<com.github.tomakehurst.wiremock.verification.LoggedRequest> received(String urlRegex) {
        return simulatedServer()
                .findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlMatching(urlRegex)));
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}
