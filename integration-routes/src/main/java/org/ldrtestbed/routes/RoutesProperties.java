package org.ldrtestbed.routes;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Integration-route settings ({@code testbed.routes.*}).
 *
 * @param catalogue location of the flow catalogue
 * @param disabledFlows flow codes switched off at start (the ablation switch); they can be switched at run time too
 * @param maxRedeliveries retries of a transient delivery failure before the message is dead-lettered
 * @param redeliveryDelay first retry delay; each later retry waits twice as long
 * @param consumers concurrent consumers per flow queue; messages of one patient stay in order (message groups)
 * @param mllpPort TCP port of the MLLP listener hospital systems send HL7v2 to
 * @param mllpAddress the interface the MLLP listener binds to: loopback unless told otherwise (e.g. {@code 0.0.0.0})
 * @param recipientBaseUrl where flows deliver, when not this server's own {@code /fhir}: e.g. a proxy that plays a
 *     receiver outage in tests
 * @param nationalServicesUrl where the national services flows call live (CP-IS, EPS, ...); when absent the testbed
 *     starts its own simulators
 * @param nationalServicesPort port of the testbed's own simulators (0: any free port)
 * @param nationalServiceTimeout how long a flow waits for a national service before treating the call as failed
 * @param outboxRelayInterval how often the outbox is swept for committed flow messages not yet on their queues
 *     (after a crash, or a refused send); each commit that adds messages wakes the relay at once anyway
 * @param sutTimeout how long a flow waits to connect to a supplier's system under test, and then for its answer,
 *     before treating the attempt as failed (and retrying it)
 */
@Validated
@ConfigurationProperties("testbed.routes")
public record RoutesProperties(
        @NotBlank @DefaultValue("classpath:flows/catalogue.yaml")
        String catalogue,

        @NotNull @DefaultValue("") Set<String> disabledFlows,
        @NotBlank @DefaultValue("mesh-mailbox") String deliveryClientId,

        @NotBlank @DefaultValue("mesh-mailbox-synthetic-secret")
        String deliveryClientSecret,

        @Min(0) @DefaultValue("5") int maxRedeliveries,
        @NotNull @DefaultValue("PT0.5S") Duration redeliveryDelay,
        @Min(1) @DefaultValue("4") int consumers,
        @Min(1) @DefaultValue("2575") int mllpPort,
        @NotBlank @DefaultValue("127.0.0.1") String mllpAddress,
        URI recipientBaseUrl,
        URI nationalServicesUrl,
        @Min(0) @DefaultValue("0") int nationalServicesPort,
        @NotNull @DefaultValue("PT3S") Duration nationalServiceTimeout,
        @NotNull @DefaultValue("PT5S") Duration outboxRelayInterval,
        @NotNull @DefaultValue("PT5S") Duration sutTimeout) {}
