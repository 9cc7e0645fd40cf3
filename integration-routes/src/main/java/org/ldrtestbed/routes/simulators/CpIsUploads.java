package org.ldrtestbed.routes.simulators;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;

/**
 * Makes the simulated CP-IS keep what local authorities upload: an accepted {@code POST /cp-is/FHIR/R4/CarePlan}
 * becomes the answer to later lookups of that child's NHS number, as the national service would hold it.
 */
final class CpIsUploads implements ServeEventListener {

    static final String PLANS = "/cp-is/FHIR/R4/CarePlan";
    private static final String NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number";

    private final ObjectMapper json = new ObjectMapper();
    private volatile WireMockServer server;

    void attach(WireMockServer server) {
        this.server = server;
    }

    @Override
    public String getName() {
        return "cp-is-uploads";
    }

    @Override
    public void beforeResponseSent(ServeEvent event, Parameters parameters) {
        // Only an upload the simulator accepted (a sentinel NHS number may have made it fail).
        if (server == null
                || !"POST".equals(event.getRequest().getMethod().getName())
                || !PLANS.equals(event.getRequest().getUrl())
                || event.getResponseDefinition() == null
                || event.getResponseDefinition().getStatus() != 201) {
            return;
        }
        try {
            JsonNode plan = json.readTree(event.getRequest().getBodyAsString());
            String nhsNumber = plan.at("/subject/identifier/value").asText();
            ObjectNode found =
                    json.createObjectNode().put("resourceType", "Bundle").put("type", "searchset");
            found.put("total", 1);
            found.putArray("entry").addObject().set("resource", plan);
            server.addStubMapping(get(urlPathEqualTo(PLANS))
                    .atPriority(5)
                    .withQueryParam("patient:identifier", equalTo(NHS_NUMBER + "|" + nhsNumber))
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "application/fhir+json")
                            .withBody(found.toString()))
                    .build());
        } catch (IOException e) {
            throw new IllegalArgumentException("CP-IS upload is not JSON: " + e.getMessage(), e);
        }
    }
}
