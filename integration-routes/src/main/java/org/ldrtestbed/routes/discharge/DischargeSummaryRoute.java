package org.ldrtestbed.routes.discharge;

import ca.uhn.fhir.context.FhirContext;
import org.apache.camel.builder.RouteBuilder;
import org.hl7.fhir.r4.model.Bundle;
import org.ldrtestbed.routes.FlowRouteConfiguration;
import org.ldrtestbed.routes.catalogue.SharingFlow;
import org.ldrtestbed.routes.delivery.RecordDelivery;

/**
 * Capability (e): carries the acute trust's discharge summary from the flow's durable queue to the patient's GP
 * practice, where it is filed as a DocumentReference with a Task per requested action.
 */
public class DischargeSummaryRoute extends RouteBuilder {

    public static final String FLOW_CODE = "discharge-summary";

    private final SharingFlow flow;
    private final FhirContext fhirContext;
    private final DischargeSummaryTranslator translator;
    private final RecordDelivery delivery;

    public DischargeSummaryRoute(
            SharingFlow flow, FhirContext fhirContext, DischargeSummaryTranslator translator, RecordDelivery delivery) {
        this.flow = flow;
        this.fhirContext = fhirContext;
        this.translator = translator;
        this.delivery = delivery;
    }

    @Override
    public void configure() {
        from("jms:queue:" + flow.queue() + "?transacted=true")
                .routeId(flow.code())
                .routeConfigurationId(FlowRouteConfiguration.ID)
                .process(exchange -> {
                    String json = exchange.getMessage().getBody(String.class);
                    Bundle document = fhirContext.newJsonParser().parseResource(Bundle.class, json);
                    exchange.getMessage().setBody(translator.toGpFiling(document, json));
                })
                .process(exchange -> delivery.deliver(exchange.getMessage().getBody(Bundle.class)));
    }
}
