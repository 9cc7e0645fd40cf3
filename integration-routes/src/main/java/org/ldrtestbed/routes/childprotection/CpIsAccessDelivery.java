package org.ldrtestbed.routes.childprotection;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Instant;
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
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.childprotection.CpIsAccessTranslator.CpIsQuery;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.PatientReferences;
import org.ldrtestbed.routes.delivery.RecordDelivery;

/**
 * Asks (simulated) CP-IS the query; if the child is on a plan, records the access at CP-IS, raises the alert in the
 * shared record for the clinicians (a safety Flag naming the plan and the local authority's contact) and notifies
 * the responsible local authority (a Communication to its worklist). Both filings are conditional on the encounter,
 * so a redelivered message raises nothing twice.
 */
public final class CpIsAccessDelivery implements FlowDelivery<CpIsQuery> {

    public static final String ALERT_SYSTEM = "https://fhir.ldr-testbed.example/Id/cp-is-alert";
    public static final String NOTIFICATION_SYSTEM = "https://fhir.ldr-testbed.example/Id/cp-is-notification";

    private final FhirContext fhirContext;
    private final NationalService cpIs;
    private final RecordDelivery record;
    private final Clock clock;

    public CpIsAccessDelivery(FhirContext fhirContext, NationalService cpIs, RecordDelivery record, Clock clock) {
        this.fhirContext = fhirContext;
        this.cpIs = cpIs;
        this.record = record;
        this.clock = clock;
    }

    @Override
    public String deliver(CpIsQuery query) {
        Encounter encounter = query.encounter();
        String nhsNumber = PatientReferences.nhsNumberOf(query.patient(), record, "CP-IS");
        Bundle found = fhirContext
                .newJsonParser()
                .parseResource(Bundle.class, cpIs.get(CpIsAccessTranslator.search(nhsNumber)));
        List<CarePlan> plans = found.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(CarePlan.class::isInstance)
                .map(CarePlan.class::cast)
                .filter(p -> p.getStatus() == CarePlan.CarePlanStatus.ACTIVE)
                .toList();
        if (plans.isEmpty()) {
            return "no child protection information at CP-IS for " + nhsNumber;
        }
        Instant now = clock.instant();
        cpIs.post(
                "/cp-is/FHIR/R4/AuditEvent",
                fhirContext.newJsonParser().encodeResourceToString(access(encounter, nhsNumber, now)));
        return RecordDelivery.summarise(record.deliver(alertAndNotification(encounter, plans, now)));
    }

    /** The CP-IS access record (iso-21089 "access"), kept by the national service for both sides to see. */
    static AuditEvent access(Encounter encounter, String nhsNumber, Instant now) {
        AuditEvent access = new AuditEvent();
        access.setType(new Coding("http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle", "access", "Access"));
        access.setRecorded(Date.from(now));
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

    public static Bundle alertAndNotification(Encounter encounter, List<CarePlan> plans, Instant now) {
        String encounterId = encounter.getIdElement().getIdPart();
        Reference patient = new Reference(encounter.getSubject().getReference());
        Bundle filing = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        StringBuilder summary = new StringBuilder();
        String localAuthority = null;
        for (CarePlan plan : plans) {
            Identifier author = plan.getAuthor().getIdentifier();
            if (author == null || !CpIsPlanUploadTranslator.ODS.equals(author.getSystem()) || !author.hasValue()) {
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
        notice.setSent(Date.from(now));
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
