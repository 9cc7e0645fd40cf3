package org.ldrtestbed.routes;

import ca.uhn.fhir.context.FhirContext;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.ldrtestbed.routes.catalogue.FlowCatalogue;
import org.ldrtestbed.routes.catalogue.FlowDispatcher;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.delivery.SharedRecordEndpoint;
import org.ldrtestbed.routes.discharge.DischargeSummaryRoute;
import org.ldrtestbed.routes.discharge.DischargeSummaryTranslator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
    FlowDispatcher flowDispatcher(
            FlowCatalogue catalogue, FlowSwitchboard switchboard, FhirContext fhirContext, ProducerTemplate producer) {
        return new FlowDispatcher(
                catalogue,
                switchboard,
                fhirContext,
                (flow, body, headers) -> producer.sendBodyAndHeaders("jms:queue:" + flow.queue(), body, headers));
    }

    /** Transacted JMS: a message leaves the queue only when its route has finished with it. */
    @Bean("jms")
    JmsComponent jmsComponent(ConnectionFactory connectionFactory) {
        return JmsComponent.jmsComponentTransacted(connectionFactory);
    }

    @Bean
    FlowRouteConfiguration flowRouteConfiguration(RoutesProperties properties) {
        return new FlowRouteConfiguration(properties.maxRedeliveries(), properties.redeliveryDelay());
    }

    @Bean
    RecordDelivery recordDelivery(FhirContext fhirContext, SharedRecordEndpoint endpoint, RoutesProperties properties) {
        return new RecordDelivery(
                fhirContext, endpoint, properties.deliveryClientId(), properties.deliveryClientSecret());
    }

    @Bean
    DischargeSummaryRoute dischargeSummaryRoute(
            FlowCatalogue catalogue, FhirContext fhirContext, RecordDelivery delivery) {
        return new DischargeSummaryRoute(
                catalogue.flow(DischargeSummaryRoute.FLOW_CODE).orElseThrow(),
                fhirContext,
                new DischargeSummaryTranslator(),
                delivery);
    }
}
