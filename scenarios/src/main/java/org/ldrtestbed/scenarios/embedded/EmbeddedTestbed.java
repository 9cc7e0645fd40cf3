package org.ldrtestbed.scenarios.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole testbed server booted in this JVM on a free port, for the main job and for tests. */
public final class EmbeddedTestbed implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private EmbeddedTestbed(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * @param dataDir where the H2 store and the broker journal go
     * @param disabledFlows flows switched off from the start
     * @param properties further Spring properties (e.g. a PostgreSQL datasource)
     */
    public static EmbeddedTestbed start(Path dataDir, Set<String> disabledFlows, Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("testbed.data-dir", dataDir.toAbsolutePath().toString());
        all.put("testbed.routes.disabled-flows", String.join(",", disabledFlows));
        all.put("testbed.routes.mllp-port", freePort());
        all.putAll(properties);
        // As command-line arguments: they outrank application.yaml, which default properties would not.
        String[] args = all.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(FhirServerApplication.class)
                .logStartupInfo(false)
                .run(args);
        return new EmbeddedTestbed(context);
    }

    /**
     * Properties that put the flows' durable queues on an external Artemis broker instead of the embedded one (for
     * scale, or to share one broker among testbeds). Credentials, when the broker needs them, come from
     * {@code TESTBED_BROKER_USER} and {@code TESTBED_BROKER_PASSWORD}.
     */
    public static Map<String, Object> externalBroker(String brokerUrl) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.artemis.mode", "native");
        properties.put("spring.artemis.broker-url", brokerUrl);
        properties.put("spring.artemis.embedded.enabled", "false");
        String user = System.getenv("TESTBED_BROKER_USER");
        if (user != null) {
            properties.put("spring.artemis.user", user);
            properties.put("spring.artemis.password", System.getenv().getOrDefault("TESTBED_BROKER_PASSWORD", ""));
        }
        return properties;
    }

    /** Properties that make the testbed trust an external OIDC issuer (a real Keycloak realm) instead of its own. */
    public static Map<String, Object> externalIssuer(java.net.URI issuer) {
        return Map.of("testbed.identity.mode", "keycloak", "testbed.identity.issuer-uri", issuer.toString());
    }

    /**
     * Properties that switch the access policy (and its audit) on or off. Off serves only to measure what they cost:
     * every professional then sees every entry the publishing flows do not hold.
     */
    public static Map<String, Object> accessControl(boolean on) {
        return Map.of("testbed.fhir-server.access-control", String.valueOf(on));
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How a journey reaches this testbed: FHIR, its identity provider and its MLLP listener. */
    public org.ldrtestbed.scenarios.engine.TestbedConnection connection() {
        return org.ldrtestbed.scenarios.engine.TestbedConnection.forTestbed(fhirBase(), realm().realm())
                .withMllp(mllp());
    }

    /** Where hospital systems send HL7v2 over MLLP. */
    public java.net.URI mllp() {
        return java.net.URI.create(
                "mllp://localhost:" + context.getEnvironment().getProperty("testbed.routes.mllp-port"));
    }

    public String fhirBase() {
        return "http://localhost:"
                + ((WebServerApplicationContext) context).getWebServer().getPort() + "/fhir";
    }

    public RealmDefinition realm() {
        return context.getBean(RealmDefinition.class);
    }

    /** The ablation switch: turn flows off and on while the testbed runs. */
    public FlowSwitchboard flows() {
        return context.getBean(FlowSwitchboard.class);
    }

    /** The message log of every flow message's stages (what the {@code /testbed/messages} API serves). */
    public org.ldrtestbed.routes.messagelog.MessageLog messageLog() {
        return context.getBean(org.ldrtestbed.routes.messagelog.MessageLog.class);
    }

    /** The national services the flows call (the testbed's own simulators unless configured otherwise). */
    public org.ldrtestbed.routes.simulators.NationalServices nationalServices() {
        return context.getBean(org.ldrtestbed.routes.simulators.NationalServices.class);
    }

    /** How many events the audit trail holds, or empty when this testbed keeps none. */
    public java.util.OptionalLong auditEvents() {
        org.ldrtestbed.identity.audit.AuditTrail trail = context.getBeanProvider(
                        org.ldrtestbed.identity.audit.AuditTrail.class)
                .getIfAvailable();
        return trail == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(trail.count());
    }

    /** Flow messages committed with their entries but not yet handed to the broker. */
    public long outboxPending() {
        return context.getBean(org.ldrtestbed.routes.outbox.FlowOutbox.class).pendingCount();
    }

    /**
     * Reads an entry as the server itself, past the access policy (tests and generated references only: a journey
     * reads with its actors' tokens); empty when there is none.
     */
    public java.util.Optional<org.hl7.fhir.instance.model.api.IBaseResource> readAsServer(String reference) {
        org.hl7.fhir.r4.model.IdType id = new org.hl7.fhir.r4.model.IdType(reference).toVersionless();
        try {
            return java.util.Optional.of(context.getBean(ca.uhn.fhir.jpa.api.dao.DaoRegistry.class)
                    .getResourceDao(id.getResourceType())
                    .read(id, new ca.uhn.fhir.rest.api.server.SystemRequestDetails()));
        } catch (ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
