package org.ldrtestbed.routes.adt;

import java.time.format.DateTimeFormatter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.RecordDelivery;

/**
 * Files an ADT event as the hospital stay's Encounter (a conditional update on the visit number, so each event moves
 * the same Encounter on) and a Communication telling the patient's GP practice, idempotent on the message control id.
 */
public final class AdtNotificationDelivery implements FlowDelivery<AdtEvent> {

    private static final String VISIT_SYSTEM = AdtTranslator.VISIT_SYSTEM;
    private static final String MESSAGE_SYSTEM = AdtTranslator.MESSAGE_SYSTEM;
    private static final String ODS = AdtTranslator.ODS;
    private static final String SDS_USER = AdtTranslator.SDS_USER;
    private static final String UNIT_CODE = AdtTranslator.UNIT_CODE;

    private final RecordDelivery record;

    public AdtNotificationDelivery(RecordDelivery record) {
        this.record = record;
    }

    /**
     * A message already applied is not applied again: the GP notification carries the message's control id, and
     * if it exists the Encounter is left alone too (re-applying an old A01 after an A03 would reopen the stay).
     */
    @Override
    public String deliver(AdtEvent event) {
        Bundle filing = filing(event);
        String applied = filing.getEntry().get(1).getRequest().getIfNoneExist();
        if (record.exists("Communication?" + applied)) {
            return "already applied (" + applied + "): nothing changed";
        }
        return RecordDelivery.summarise(record.deliver(filing));
    }

    /** The filing transaction for one event. */
    public static Bundle filing(AdtEvent e) {
        Reference patient = new Reference("Patient?identifier=" + NhsNumber.SYSTEM + "|" + e.nhsNumber());
        Reference hospital = new Reference("Organization?identifier=" + ODS + "|" + e.sendingFacility());
        Reference ward = new Reference("Location?identifier=" + UNIT_CODE + "|" + e.ward());
        String visit = e.sendingFacility() + "-" + e.visitNumber();
        boolean discharge = "A03".equals(e.trigger());

        Encounter stay = new Encounter();
        stay.addIdentifier(new Identifier().setSystem(VISIT_SYSTEM).setValue(visit));
        stay.setStatus(discharge ? Encounter.EncounterStatus.FINISHED : Encounter.EncounterStatus.INPROGRESS);
        stay.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"));
        stay.setSubject(patient);
        stay.setServiceProvider(hospital);
        stay.addLocation()
                .setLocation(ward)
                .setStatus(
                        discharge
                                ? Encounter.EncounterLocationStatus.COMPLETED
                                : Encounter.EncounterLocationStatus.ACTIVE);
        if (e.attendingId() != null) {
            stay.addParticipant()
                    .setIndividual(new Reference("Practitioner?identifier=" + SDS_USER + "|" + e.attendingId()));
        }
        Period period = new Period().setStart(java.util.Date.from(e.admitted()));
        if (e.discharged() != null) {
            period.setEnd(java.util.Date.from(e.discharged()));
        }
        stay.setPeriod(period);

        Communication notice = new Communication();
        notice.addIdentifier(
                new Identifier().setSystem(MESSAGE_SYSTEM).setValue(e.sendingFacility() + "-" + e.controlId()));
        notice.setStatus(Communication.CommunicationStatus.COMPLETED);
        notice.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/communication-category", "notification", "Notification")));
        notice.setSubject(patient);
        notice.addRecipient(new Reference("Organization?identifier=" + ODS + "|" + e.gpPractice()));
        notice.setSender(hospital);
        notice.setSent(java.util.Date.from(e.eventTime()));
        notice.addPayload().setContent(new org.hl7.fhir.r4.model.StringType(text(e)));

        Bundle filing = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String stayUrl = "urn:uuid:" + java.util.UUID.randomUUID();
        filing.addEntry()
                .setFullUrl(stayUrl)
                .setResource(stay)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Encounter?identifier=" + VISIT_SYSTEM + "|" + visit);
        notice.setEncounter(new Reference(stayUrl));
        filing.addEntry()
                .setResource(notice)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication")
                .setIfNoneExist("identifier=" + MESSAGE_SYSTEM + "|" + e.sendingFacility() + "-" + e.controlId());
        return filing;
    }

    /** The GP's notification, e.g. "Admitted to ward SYNAC01-RESP under Erik Lindqvist on 2026-01-12 10:30". */
    static String text(AdtEvent e) {
        String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .withZone(org.ldrtestbed.routes.hl7v2.Hl7v2Time.UK)
                .format(e.eventTime());
        String under = e.attendingName() == null ? "" : " under " + e.attendingName();
        return switch (e.trigger()) {
            case "A01" -> "Admitted to ward " + e.ward() + under + " on " + when;
            case "A02" -> "Transferred to ward " + e.ward() + under + " on " + when;
            default -> "Discharged from ward " + e.ward() + " on " + when;
        };
    }
}
