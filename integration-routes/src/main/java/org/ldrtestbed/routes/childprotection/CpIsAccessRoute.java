package org.ldrtestbed.routes.childprotection;

import ca.uhn.fhir.context.FhirContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.identity.NhsNumber;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.catalogue.SharingFlow;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.PatientReferences;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/**
 * Capability (g), CP-IS: when a child presents to unscheduled care, the route asks the (simulated) Child Protection -
 * Information Sharing service whether the child is on a plan. If so, it records the access at CP-IS, raises the alert
 * in the shared record for the clinicians (a safety Flag naming the plan and the local authority's contact) and
 * notifies the responsible local authority (a Communication to its worklist). Both filings are conditional on the
 * encounter, so a redelivered message raises nothing twice.
 */
public class CpIsAccessRoute extends FlowRoute<Encounter> {

    public static final String FLOW_CODE = "cp-is-access";
    public static final String ALERT_SYSTEM = "https://fhir.ldr-testbed.example/Id/cp-is-alert";
    public static final String NOTIFICATION_SYSTEM = "https://fhir.ldr-testbed.example/Id/cp-is-notification";
    static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

    private final FhirContext fhirContext;
    private final NationalService cpIs;
    private final RecordDelivery delivery;

    public CpIsAccessRoute(
            SharingFlow flow,
            MessageLog log,
            int consumers,
            FhirContext fhirContext,
            NationalService cpIs,
            RecordDelivery delivery) {
        super(flow, log, consumers);
        this.fhirContext = fhirContext;
        this.cpIs = cpIs;
        this.delivery = delivery;
    }

    @Override
    protected Encounter translate(String message) {
        Encounter encounter = parseStored(fhirContext, Encounter.class, message, "encounter");
        if (!"Patient".equals(encounter.getSubject().getReferenceElement().getResourceType())) {
            throw new InvalidMessageException("Encounter.subject must reference the Patient seen");
        }
        return encounter;
    }

    @Override
    protected String describe(Encounter encounter) {
        return "CP-IS lookup for " + encounter.getSubject().getReference() + " seen in Encounter/"
                + encounter.getIdElement().getIdPart();
    }

    @Override
    protected String deliver(Encounter encounter) {
        String nhsNumber = PatientReferences.nhsNumberOf(encounter.getSubject(), delivery, "CP-IS");
        Bundle found = fhirContext
                .newJsonParser()
                .parseResource(
                        Bundle.class,
                        cpIs.get("/cp-is/FHIR/R4/CarePlan?patient:identifier="
                                + URLEncoder.encode(NhsNumber.SYSTEM + "|" + nhsNumber, StandardCharsets.UTF_8)));
        List<CarePlan> plans = found.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(CarePlan.class::isInstance)
                .map(CarePlan.class::cast)
                .filter(p -> p.getStatus() == CarePlan.CarePlanStatus.ACTIVE)
                .toList();
        if (plans.isEmpty()) {
            return "no child protection information at CP-IS for " + nhsNumber;
        }
        cpIs.post(
                "/cp-is/FHIR/R4/AuditEvent",
                fhirContext.newJsonParser().encodeResourceToString(access(encounter, nhsNumber, now())));
        return RecordDelivery.summarise(delivery.deliver(alertAndNotification(encounter, plans, now())));
    }

    /** The CP-IS access record (iso-21089 "access"), kept by the national service for both sides to see. */
    private static AuditEvent access(Encounter encounter, String nhsNumber, java.time.Instant recorded) {
        AuditEvent access = new AuditEvent();
        access.setType(new Coding("http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle", "access", "Access"));
        access.setRecorded(Date.from(recorded));
        access.addAgent()
                .setRequestor(true)
                .setWho(
                        encounter.hasServiceProvider()
                                ? encounter.getServiceProvider().copy()
                                : null);
        access.getSource().setObserver(new Reference().setDisplay("ldr-testbed cp-is-access flow"));
        access.addEntity()
                .setWhat(new Reference()
                        .setIdentifier(
                                new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber)));
        return access;
    }

    static Bundle alertAndNotification(Encounter encounter, List<CarePlan> plans, java.time.Instant sent) {
        String encounterId = encounter.getIdElement().getIdPart();
        Reference patient = new Reference(encounter.getSubject().getReference());
        Bundle filing = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        StringBuilder summary = new StringBuilder();
        String localAuthority = null;
        for (CarePlan plan : plans) {
            Identifier author = plan.getAuthor().getIdentifier();
            if (author == null || !ODS.equals(author.getSystem()) || !author.hasValue()) {
                throw new InvalidMessageException("CP-IS plan " + plan.getId() + " names no local authority ODS code");
            }
            localAuthority = author.getValue();
            Coding type = plan.getCategoryFirstRep().getCodingFirstRep();
            Flag alert = new Flag();
            alert.addIdentifier(new Identifier().setSystem(ALERT_SYSTEM).setValue(encounterId + "-" + type.getCode()));
            alert.setStatus(Flag.FlagStatus.ACTIVE);
            alert.addCategory(new CodeableConcept(
                    new Coding("http://terminology.hl7.org/CodeSystem/flag-category", "safety", "Safety")));
            alert.setCode(new CodeableConcept(type.copy())
                    .setText("CP-IS: " + type.getDisplay() + " - contact "
                            + plan.getAuthor().getDisplay()));
            alert.setSubject(patient.copy());
            alert.setPeriod(new Period()
                    .setStartElement(plan.getPeriod().getStartElement().copy()));
            alert.setEncounter(new Reference("Encounter/" + encounterId));
            alert.setAuthor(new Reference("Organization/" + localAuthority));
            Filings.createOnce(filing, alert, ALERT_SYSTEM, encounterId + "-" + type.getCode());
            summary.append(type.getDisplay()).append("; ");
        }
        Communication notice = new Communication();
        notice.addIdentifier(new Identifier().setSystem(NOTIFICATION_SYSTEM).setValue(encounterId));
        notice.setStatus(Communication.CommunicationStatus.COMPLETED);
        notice.addCategory(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/communication-category", "notification", null)));
        notice.setSubject(patient.copy());
        notice.addAbout(new Reference("Encounter/" + encounterId));
        notice.addRecipient(new Reference("Organization/" + localAuthority));
        if (encounter.hasServiceProvider()) {
            notice.setSender(encounter.getServiceProvider().copy());
        }
        notice.setSent(Date.from(sent));
        notice.addPayload()
                .setContent(new org.hl7.fhir.r4.model.StringType("CP-IS: a child with " + summary
                        + "was seen in unscheduled care"
                        + (encounter.hasServiceProvider()
                                ? " at " + encounter.getServiceProvider().getReference()
                                : "")
                        + (encounter.getPeriod().hasStart()
                                ? " on "
                                        + encounter
                                                .getPeriod()
                                                .getStartElement()
                                                .getValueAsString()
                                : "")));
        return Filings.createOnce(filing, notice, NOTIFICATION_SYSTEM, encounterId);
    }
}
