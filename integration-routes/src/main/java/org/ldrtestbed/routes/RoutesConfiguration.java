package org.ldrtestbed.routes;

import ca.uhn.fhir.context.FhirContext;
import jakarta.jms.ConnectionFactory;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.ldrtestbed.routes.catalogue.FlowCatalogue;
import org.ldrtestbed.routes.catalogue.FlowDispatcher;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.ldrtestbed.routes.deadletter.DeadLetters;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.delivery.SharedRecordEndpoint;
import org.ldrtestbed.routes.discharge.DischargeSummaryRoute;
import org.ldrtestbed.routes.discharge.DischargeSummaryTranslator;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.routes.socialcare.SocialCareNoticeRoute;
import org.ldrtestbed.routes.socialcare.SocialCareNoticeTranslator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.core.JmsTemplate;

/** Wires the flow catalogue, the switchboard, the dispatcher and one route per flow onto the JMS broker. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutesProperties.class)
public class RoutesConfiguration {

    @Bean
    FlowCatalogue flowCatalogue(RoutesProperties properties) {
        return FlowCatalogue.load(properties.catalogue());
    }

    @Bean
    FlowSwitchboard flowSwitchboard(FlowCatalogue catalogue, RoutesProperties properties) {
        return new FlowSwitchboard(catalogue, properties.disabledFlows());
    }

    @Bean
    MessageLog messageLog(DataSource dataSource) {
        return new MessageLog(dataSource, Clock.systemUTC());
    }

    @Bean
    FlowDispatcher flowDispatcher(
            FlowCatalogue catalogue,
            FlowSwitchboard switchboard,
            FhirContext fhirContext,
            ProducerTemplate producer,
            MessageLog log) {
        return new FlowDispatcher(catalogue, switchboard, fhirContext, (flow, body, headers) -> {
            producer.sendBodyAndHeaders("jms:queue:" + flow.queue(), body, headers);
            log.record(Stage.RECEIVED, headers, "queued on " + flow.queue());
        });
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

    @Bean
    RecordDelivery recordDelivery(FhirContext fhirContext, SharedRecordEndpoint endpoint, RoutesProperties properties) {
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
        return new RecordDelivery(
                fhirContext, recipient, properties.deliveryClientId(), properties.deliveryClientSecret());
    }

    @Bean
    DischargeSummaryRoute dischargeSummaryRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDelivery delivery,
            RoutesProperties properties) {
        return new DischargeSummaryRoute(
                catalogue.flow(DischargeSummaryRoute.FLOW_CODE).orElseThrow(),
                log,
                properties.consumers(),
                fhirContext,
                new DischargeSummaryTranslator(),
                delivery);
    }

    @Bean
    SocialCareNoticeRoute socialCareNoticeRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDelivery delivery,
            RoutesProperties properties) {
        return new SocialCareNoticeRoute(
                catalogue.flow(SocialCareNoticeRoute.FLOW_CODE).orElseThrow(),
                log,
                properties.consumers(),
                fhirContext,
                new SocialCareNoticeTranslator(),
                delivery);
    }
}
