package org.ldrtestbed.routes;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.util.function.Function;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.sut.SutDeliveries;

/**
 * What a flow's route is made with: the message log, the consumers per queue, the clock translators stamp messages
 * with, and the receivers it delivers to (simulated, or a run's systems under test).
 *
 * @param records the shared record, as the receiving system the catalogue names for a flow ({@code delivered-by})
 * @param nationalServices a national service or supplier system by name ({@code CP-IS}, {@code EPS},
 *     {@code BaRS receiver})
 * @param systemsUnderTest where a run binds a supplier's system to receive a flow in a recipient's place
 */
public record FlowWiring(
        FhirContext fhirContext,
        MessageLog log,
        int consumers,
        Clock clock,
        Function<SharingFlow, RecordDelivery> records,
        Function<String, NationalService> nationalServices,
        SutDeliveries systemsUnderTest) {

    public RecordDelivery record(SharingFlow flow) {
        return records.apply(flow);
    }

    public NationalService nationalService(String name) {
        return nationalServices.apply(name);
    }
}
