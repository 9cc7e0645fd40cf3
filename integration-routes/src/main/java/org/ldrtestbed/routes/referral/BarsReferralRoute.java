package org.ldrtestbed.routes.referral;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;
import org.ldrtestbed.routes.delivery.RecordDelivery;

/**
 * Urgent and emergency care referrals in the Booking and Referral Standard's shape: NHS 111's referral travels as a
 * BaRS {@code servicerequest-request} message to the receiving ambulance service or emergency department.
 */
public class BarsReferralRoute extends FlowRoute<BarsReferralMessage> {

    public static final String FLOW_CODE = "bars-referral";

    private static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

    private final BarsReferralTranslator translator = new BarsReferralTranslator();
    private final RecordDelivery record;

    public BarsReferralRoute(SharingFlow flow, FlowWiring wiring) {
        this(flow, wiring, wiring.record(flow));
    }

    private BarsReferralRoute(SharingFlow flow, FlowWiring wiring, RecordDelivery record) {
        super(flow, wiring, new BarsReferralDelivery(wiring.nationalService("BaRS receiver"), record));
        this.record = record;
    }

    /** The message goes to an ambulance service's or department's system under test by FHIR messaging. */
    @Override
    public boolean deliversToSystemsUnderTest(String transport) {
        return SystemUnderTest.PROCESS_MESSAGE.equals(transport);
    }

    @Override
    protected BarsReferralMessage translate(String message) {
        return new BarsReferralMessage(
                translator.toMessage(parse(ServiceRequest.class, message), now()),
                fhirContext(),
                patient -> PatientReferences.nhsNumberOf(patient, record, "BaRS"),
                service -> odsCodeOf(service));
    }

    /** The receiving service's ODS code, from its Organization in the record. */
    private String odsCodeOf(Reference service) {
        return record.read(Organization.class, service.getReference()).getIdentifier().stream()
                .filter(i -> ODS.equals(i.getSystem()))
                .map(Identifier::getValue)
                .findFirst()
                .orElseThrow(() -> new InvalidMessageException(
                        "BaRS needs the receiving service's ODS code; " + service.getReference() + " has none"));
    }

    @Override
    protected String describe(BarsReferralMessage message) {
        ServiceRequest referral = message.referral();
        return "BaRS referral ServiceRequest/" + referral.getIdElement().getIdPart() + " to "
                + referral.getPerformerFirstRep().getReference();
    }
}
