package org.ldrtestbed.routes;

import ca.uhn.fhir.context.FhirContext;
import jakarta.jms.ConnectionFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.hl7.HL7MLLPNettyDecoderFactory;
import org.apache.camel.component.hl7.HL7MLLPNettyEncoderFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmClient;
import org.ldrtestbed.identity.schema.TestbedSchema;
import org.ldrtestbed.routes.adt.AdtNotificationRoute;
import org.ldrtestbed.routes.adt.AdtTranslator;
import org.ldrtestbed.routes.catalogue.FlowDispatcher;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.ldrtestbed.routes.catalogue.FlowSwitches;
import org.ldrtestbed.routes.clock.MessageClock;
import org.ldrtestbed.routes.clock.RunClock;
import org.ldrtestbed.routes.contract.CareSettings;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.deadletter.DeadLetters;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.delivery.SharedRecordEndpoint;
import org.ldrtestbed.routes.hl7v2.Hl7v2Ingress;
import org.ldrtestbed.routes.hl7v2.Hl7v2ListenerRoute;
import org.ldrtestbed.routes.messagelog.JdbcMessageLog;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.MessageLogFeed;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.routes.outbox.FlowOutbox;
import org.ldrtestbed.routes.outbox.OutboxRelay;
import org.ldrtestbed.routes.simulators.NationalServices;
import org.ldrtestbed.routes.sut.FhirRestTransport;
import org.ldrtestbed.routes.sut.JdbcSutExchanges;
import org.ldrtestbed.routes.sut.MllpTransport;
import org.ldrtestbed.routes.sut.ProcessMessageTransport;
import org.ldrtestbed.routes.sut.SutDeliveries;
import org.ldrtestbed.routes.sut.mesh.JdbcMeshMailbox;
import org.ldrtestbed.routes.sut.mesh.MeshMailbox;
import org.ldrtestbed.routes.sut.mesh.MeshTransport;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jms.core.JmsTemplate;

/**
 * Wires the flow catalogue, the switchboard, the dispatcher and the flows' routes (one per catalogue entry, from the
 * flow packages) onto the JMS broker.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutesProperties.class)
public class RoutesConfiguration {

    /**
     * Where this module's migrations (the message log's and the flow outbox's tables) live; the host runs them
     * before the beans that use those tables, which name the {@link TestbedSchema#BEAN} they depend on.
     */
    public static final String MIGRATIONS = "classpath:db/migration/routes";

    @Bean
    FlowCatalogue flowCatalogue(RoutesProperties properties) {
        return FlowCatalogue.load(properties.catalogue());
    }

    @Bean
    FlowSwitchboard flowSwitchboard(FlowCatalogue catalogue, RoutesProperties properties) {
        return new FlowSwitchboard(catalogue, properties.disabledFlows());
    }

    /** The switchboard and each journey run's own switches, as the dispatcher and the HL7v2 ingress consult them. */
    @Bean
    FlowSwitches flowSwitches(FlowSwitchboard switchboard, FlowCatalogue catalogue, Clock clock) {
        return new FlowSwitches(switchboard, catalogue, clock);
    }

    /** Each journey run's simulated clock, as its trusted requests set it; the server's clock for the rest. */
    @Bean
    RunClock runClock(Clock clock) {
        return new RunClock(clock);
    }

    /** The message log, telling waiters on a journey run when its entries are appended. */
    @Bean
    @DependsOn(TestbedSchema.BEAN)
    MessageLogFeed messageLog(DataSource dataSource, Clock clock) {
        return new MessageLogFeed(new JdbcMessageLog(dataSource, clock));
    }

    /** The exchanges with a run's systems under test, as they went over the wire. */
    @Bean
    @DependsOn(TestbedSchema.BEAN)
    JdbcSutExchanges sutExchanges(DataSource dataSource) {
        return new JdbcSutExchanges(dataSource);
    }

    /** The MESH-like mailboxes the testbed hosts for receiving systems under test. */
    @Bean
    @DependsOn(TestbedSchema.BEAN)
    JdbcMeshMailbox meshMailboxStore(DataSource dataSource) {
        return new JdbcMeshMailbox(dataSource);
    }

    /** What a system under test polls: its inbox, downloads, acknowledgements (kept as exchanges of their runs). */
    @Bean
    MeshMailbox meshMailbox(JdbcMeshMailbox store, JdbcSutExchanges exchanges, RunClock runClock) {
        return new MeshMailbox(store, exchanges, runClock::now);
    }

    /** Where a run binds a supplier's system to receive a flow, the routes send to it over its transport. */
    @Bean
    SutDeliveries sutDeliveries(
            FlowSwitches switches,
            FhirContext fhirContext,
            FlowCatalogue catalogue,
            JdbcSutExchanges exchanges,
            JdbcMeshMailbox mailboxes,
            RoutesProperties properties,
            Clock clock) {
        // Exchanges are stamped on the message's run clock, as the route binds it.
        MessageClock messageClock = new MessageClock(clock);
        return new SutDeliveries(
                switches::of,
                switches::ended,
                List.of(
                        new FhirRestTransport(fhirContext, exchanges, messageClock, properties.sutTimeout()),
                        new MeshTransport(
                                mailboxes,
                                exchanges,
                                messageClock,
                                flow -> catalogue.flow(flow).map(SharingFlow::meshWorkflow)),
                        new ProcessMessageTransport(fhirContext, exchanges, messageClock, properties.sutTimeout()),
                        new MllpTransport(exchanges, messageClock, properties.sutTimeout())),
                exchanges);
    }

    @Bean
    FlowDispatcher flowDispatcher(
            FlowCatalogue catalogue,
            FlowSwitches switches,
            FhirContext fhirContext,
            FlowOutbox outbox,
            MessageLog log,
            FlowRoutes routes,
            Clock clock) {
        // The message and its RECEIVED stage are recorded in the write's own transaction; the relay queues it.
        return new FlowDispatcher(
                catalogue,
                switches,
                fhirContext,
                (flow, body, headers) -> {
                    outbox.add(flow.code(), flow.queue(), body, headers);
                    log.record(Stage.RECEIVED, headers, "recorded for " + flow.queue());
                },
                // Each flow's own translator decides what it can carry, before the source's write commits.
                routes.checks(),
                clock);
    }

    @Bean
    @DependsOn(TestbedSchema.BEAN)
    FlowOutbox flowOutbox(DataSource dataSource, Clock clock) {
        return new FlowOutbox(dataSource, clock);
    }

    @Bean(destroyMethod = "close")
    OutboxRelay outboxRelay(FlowOutbox outbox, ProducerTemplate producer, RoutesProperties properties) {
        return new OutboxRelay(
                outbox,
                (queue, body, headers) -> producer.sendBodyAndHeaders("jms:queue:" + queue, body, headers),
                properties.outboxRelayInterval());
    }

    /** Relaying starts once the routes run: first whatever a previous life committed and never queued. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> outboxRelayStart(OutboxRelay relay) {
        return event -> relay.start();
    }

    @Bean
    DeadLetters deadLetters(ConnectionFactory connectionFactory, FlowCatalogue catalogue, MessageLog log) {
        return new DeadLetters(new JmsTemplate(connectionFactory), catalogue, log);
    }

    /** Transacted JMS: a message leaves the queue only when its route has finished with it. */
    @Bean("jms")
    JmsComponent jmsComponent(ConnectionFactory connectionFactory) {
        return JmsComponent.jmsComponentTransacted(connectionFactory);
    }

    @Bean
    FlowRouteConfiguration flowRouteConfiguration(RoutesProperties properties, MessageLog log) {
        return new FlowRouteConfiguration(properties.maxRedeliveries(), properties.redeliveryDelay(), log);
    }

    /** Delivers for a flow as the receiving system the catalogue names, with that client's secret from the realm. */
    @Bean
    RecordDeliveries recordDeliveries(
            FhirContext fhirContext,
            SharedRecordEndpoint endpoint,
            RoutesProperties properties,
            RealmDefinition realm) {
        SharedRecordEndpoint recipient = properties.recipientBaseUrl() == null
                ? endpoint
                : new SharedRecordEndpoint() {
                    @Override
                    public String fhirBaseUrl() {
                        return properties.recipientBaseUrl().toString();
                    }

                    @Override
                    public String issuerUrl() {
                        return endpoint.issuerUrl();
                    }
                };
        return flow -> {
            RealmClient client = realm.client(flow.deliveredBy())
                    .orElseThrow(() -> new IllegalStateException(
                            "Flow " + flow.code() + " is delivered by " + flow.deliveredBy() + ", not a realm client"));
            return new RecordDelivery(fhirContext, recipient, client.clientId(), client.secret());
        };
    }

    /** Makes the {@link RecordDelivery} a flow's route delivers with. */
    @FunctionalInterface
    public interface RecordDeliveries {
        RecordDelivery forFlow(SharingFlow flow);
    }

    /**
     * One route per catalogue flow, made by the flow packages' {@link FlowModule}s: start-up fails when the catalogue
     * names a flow no package implements, or a package implements one the catalogue does not list.
     */
    @Bean
    FlowRoutes flowRoutes(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties,
            NationalServices services,
            SutDeliveries systemsUnderTest,
            Clock clock) {
        FlowWiring wiring = new FlowWiring(
                fhirContext,
                log,
                properties.consumers(),
                // What a message's translation and delivery stamp is on its run's clock (the route binds it).
                new MessageClock(clock),
                deliveries::forFlow,
                name -> new NationalService(name, services::baseUrl, properties.nationalServiceTimeout()),
                systemsUnderTest);
        return new FlowRoutes(FlowRegistry.routes(catalogue, FlowRegistry.discover(), wiring));
    }

    /** The national services flows call: the configured ones, or the testbed's own simulators started here. */
    @Bean(destroyMethod = "close")
    NationalServices nationalServices(RoutesProperties properties) {
        return properties.nationalServicesUrl() != null
                ? NationalServices.at(properties.nationalServicesUrl())
                : NationalServices.start(properties.nationalServicesPort());
    }

    @Bean
    AdtTranslator adtTranslator() {
        return new AdtTranslator();
    }

    /** HL7v2 receipt: validates each message as its flow will translate it, before acknowledging it. */
    @Bean
    Hl7v2Ingress hl7v2Ingress(
            FlowCatalogue catalogue,
            FlowSwitches switches,
            CareSettings careSettings,
            AdtTranslator adt,
            ProducerTemplate producer,
            MessageLog log,
            RunClock clock,
            JdbcSutExchanges exchanges) {
        return new Hl7v2Ingress(
                catalogue,
                switches,
                careSettings::settingOf,
                Map.of(AdtNotificationRoute.FLOW_CODE, er7 -> adt.toEvent(er7).nhsNumber()),
                (flow, body, headers) -> producer.sendBodyAndHeaders("jms:queue:" + flow.queue(), body, headers),
                (flow, body, headers) -> producer.sendBodyAndHeaders(
                        "jms:queue:" + FlowRouteConfiguration.DEAD_LETTER_QUEUE, body, headers),
                log,
                clock,
                exchanges);
    }

    @Bean
    Hl7v2ListenerRoute hl7v2ListenerRoute(RoutesProperties properties, Hl7v2Ingress ingress) {
        return new Hl7v2ListenerRoute(properties.mllpAddress(), properties.mllpPort(), ingress);
    }

    @Bean("hl7encoder")
    HL7MLLPNettyEncoderFactory hl7encoder() {
        HL7MLLPNettyEncoderFactory factory = new HL7MLLPNettyEncoderFactory();
        factory.setCharset("UTF-8");
        return factory;
    }

    @Bean("hl7decoder")
    HL7MLLPNettyDecoderFactory hl7decoder() {
        HL7MLLPNettyDecoderFactory factory = new HL7MLLPNettyDecoderFactory();
        factory.setCharset("UTF-8");
        return factory;
    }
}
