package org.ldrtestbed.scenarios.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.adt.AdtNotificationDelivery;
import org.ldrtestbed.routes.adt.AdtTranslator;
import org.ldrtestbed.routes.contract.MllpClient;
import org.ldrtestbed.routes.discharge.DischargeSummaryDelivery;
import org.ldrtestbed.routes.discharge.DischargeSummaryTranslator;
import org.ldrtestbed.routes.eol.EolPointerDelivery;
import org.ldrtestbed.routes.eol.EolPointerTranslator;
import org.ldrtestbed.routes.referral.EReferralDelivery;
import org.ldrtestbed.routes.referral.EReferralTranslator;
import org.ldrtestbed.routes.socialcare.SocialCareNoticeDelivery;
import org.ldrtestbed.routes.socialcare.SocialCareNoticeTranslator;
import org.springframework.core.io.ClassPathResource;

/**
 * A flow as the benchmark drives it: how its source sends one message about a patient, and, as the baseline, the
 * filing its route would write for such a message, written straight into the record.
 */
public interface BenchedFlow {

    /** Who the flows' sources are, and the organisations their messages name (bench/bench-actors.yaml). */
    BenchActors ACTORS = BenchActors.shipped();

    BenchActors.Organisations ORGANISATIONS = ACTORS.flows().organisations();

    String code();

    /** Sends one message about the patient, as the flow's source system does. */
    void send(BenchContext context, String nhsNumber) throws Exception;

    /** Writes the filing the flow's route would write for such a message, directly, as its receiving system. */
    void writeDirectly(BenchContext context, String nhsNumber) throws Exception;

    /** What a benchmark needs to act as the systems involved. */
    interface BenchContext {
        FhirContext fhir();

        IGenericClient asUser(String username);

        IGenericClient asClient(String clientId);

        MllpClient mllp();
    }

    /** Capability (e): the acute trust posts a discharge summary document. */
    final class DischargeSummary implements BenchedFlow {
        private final String template = resource("fhir/samples/discharge-summary.json");

        @Override
        public String code() {
            return "discharge-summary";
        }

        @Override
        public void send(BenchContext context, String nhs) {
            context.asUser(ACTORS.flows().sender(code()))
                    .create()
                    .resource(document(context, nhs))
                    .execute();
        }

        @Override
        public void writeDirectly(BenchContext context, String nhs) {
            Bundle document = document(context, nhs);
            Bundle filing = DischargeSummaryDelivery.gpFiling(new DischargeSummaryTranslator()
                    .toDocument(document, context.fhir().newJsonParser().encodeResourceToString(document)));
            context.asClient("mesh-mailbox").transaction().withBundle(filing).execute();
        }

        private Bundle document(BenchContext context, String nhs) {
            return context.fhir()
                    .newJsonParser()
                    .parseResource(
                            Bundle.class,
                            template.replace("${NHS}", nhs)
                                    .replace("${DOC_ID}", UUID.randomUUID().toString()));
        }
    }

    /** Capability (f): the acute trust records an assessment notice to adult social care. */
    final class SocialCareNotice implements BenchedFlow {
        @Override
        public String code() {
            return "social-care-notice";
        }

        @Override
        public void send(BenchContext context, String nhs) {
            context.asUser(ACTORS.flows().sender(code()))
                    .create()
                    .resource(notice(nhs))
                    .execute();
        }

        @Override
        public void writeDirectly(BenchContext context, String nhs) {
            // The notice itself is written by a GP user so that it starts no flow; only the council's filing is
            // the baseline.
            ServiceRequest stored =
                    (ServiceRequest) context.asUser(ACTORS.flows().noticeBystander())
                            .create()
                            .resource(notice(nhs))
                            .execute()
                            .getResource();
            Bundle filing = SocialCareNoticeDelivery.worklist(new SocialCareNoticeTranslator().toNotice(stored));
            context.asClient("mesh-mailbox").transaction().withBundle(filing).execute();
        }

        private static ServiceRequest notice(String nhs) {
            ServiceRequest notice = new ServiceRequest();
            notice.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
            notice.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
            notice.getCode()
                    .addCoding()
                    .setSystem("http://snomed.info/sct")
                    .setCode("975701000000106")
                    .setDisplay("Assessment Notice");
            notice.setSubject(new Reference("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhs)
                    .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhs)));
            notice.addPerformer(new Reference("Organization/" + ORGANISATIONS.council()));
            notice.setAuthoredOn(new Date());
            notice.addNote().setText("Benchmark notice (synthetic)");
            return notice;
        }
    }

    /** Capability (d): the GP refers a patient to the acute trust. */
    final class EReferral implements BenchedFlow {
        @Override
        public String code() {
            return "e-referral";
        }

        @Override
        public void send(BenchContext context, String nhs) {
            context.asUser(ACTORS.flows().sender(code()))
                    .create()
                    .resource(referral(nhs))
                    .execute();
        }

        @Override
        public void writeDirectly(BenchContext context, String nhs) {
            // Written by a community clinician so that it starts no flow; only the triage Task is the baseline.
            ServiceRequest stored =
                    (ServiceRequest) context.asUser(ACTORS.flows().bystander())
                            .create()
                            .resource(referral(nhs))
                            .execute()
                            .getResource();
            Bundle filing = EReferralDelivery.triage(new EReferralTranslator().toReferral(stored));
            context.asClient("spine-ers").transaction().withBundle(filing).execute();
        }

        private static ServiceRequest referral(String nhs) {
            ServiceRequest referral = new ServiceRequest();
            referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
            referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
            referral.addCategory()
                    .addCoding()
                    .setSystem("https://fhir.nhs.uk/CodeSystem/message-category-servicerequest")
                    .setCode("referral");
            referral.getCode().setText("Benchmark referral (synthetic)");
            referral.setSubject(new Reference("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhs)
                    .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhs)));
            referral.addPerformer(new Reference("Organization/" + ORGANISATIONS.acuteTrust()));
            referral.setRequester(new Reference("Practitioner/sds-900000000101"));
            referral.setAuthoredOn(new Date());
            return referral;
        }
    }

    /** Capability (h): the GP records an end-of-life care plan. */
    final class EolPointer implements BenchedFlow {
        @Override
        public String code() {
            return "eol-pointer";
        }

        @Override
        public void send(BenchContext context, String nhs) {
            context.asUser(ACTORS.flows().sender(code()))
                    .create()
                    .resource(plan(nhs))
                    .execute();
        }

        @Override
        public void writeDirectly(BenchContext context, String nhs) {
            // Written by a community clinician so that it starts no flow; only the pointer is the baseline.
            CarePlan stored = (CarePlan) context.asUser(ACTORS.flows().bystander())
                    .create()
                    .resource(plan(nhs))
                    .execute()
                    .getResource();
            Bundle filing = EolPointerDelivery.filing(new EolPointerTranslator().toPointer(stored));
            context.asClient("spine-nrl").transaction().withBundle(filing).execute();
        }

        private static CarePlan plan(String nhs) {
            CarePlan plan = new CarePlan();
            plan.setStatus(CarePlan.CarePlanStatus.ACTIVE);
            plan.setIntent(CarePlan.CarePlanIntent.PLAN);
            plan.setTitle("End of life care plan (benchmark, synthetic)");
            plan.addCategory()
                    .addCoding()
                    .setSystem("http://snomed.info/sct")
                    .setCode("736373009")
                    .setDisplay("End of life care plan");
            plan.setSubject(new Reference("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhs)
                    .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhs)));
            plan.setAuthor(new Reference("Organization/" + ORGANISATIONS.practice()));
            plan.setCreated(new Date());
            return plan;
        }
    }

    /** Capability (a), standing for the three publishing flows: the GP records a repeat medicine. */
    final class GpSummary implements BenchedFlow {
        @Override
        public String code() {
            return "gp-summary";
        }

        @Override
        public void send(BenchContext context, String nhs) {
            context.asUser(ACTORS.flows().sender(code()))
                    .create()
                    .resource(medicine(nhs))
                    .execute();
        }

        @Override
        public void writeDirectly(BenchContext context, String nhs) {
            // Written by a community clinician so that it starts no flow; the baseline is the publication mark.
            IIdType stored = context.asUser(ACTORS.flows().bystander())
                    .create()
                    .resource(medicine(nhs))
                    .execute()
                    .getId();
            context.asClient("spine-scr")
                    .meta()
                    .add()
                    .onResource(stored.toUnqualifiedVersionless())
                    .meta(new org.hl7.fhir.r4.model.Meta()
                            .addTag(org.ldrtestbed.routes.contract.SharingFlow.PUBLISHED_BY, code(), null))
                    .execute();
        }

        private static org.hl7.fhir.r4.model.MedicationStatement medicine(String nhs) {
            org.hl7.fhir.r4.model.MedicationStatement medicine = new org.hl7.fhir.r4.model.MedicationStatement();
            medicine.setStatus(org.hl7.fhir.r4.model.MedicationStatement.MedicationStatementStatus.ACTIVE);
            medicine.getMedicationCodeableConcept().setText("Benchmark inhaler (synthetic)");
            medicine.setSubject(patient(nhs));
            return medicine;
        }
    }

    /** Capability (i): the GP signs an acute prescription for the nominated pharmacy. */
    final class EpsPrescription implements BenchedFlow {
        @Override
        public String code() {
            return "eps-prescription";
        }

        @Override
        public void send(BenchContext context, String nhs) {
            context.asUser(ACTORS.flows().sender(code()))
                    .create()
                    .resource(prescription(nhs))
                    .execute();
        }

        @Override
        public void writeDirectly(BenchContext context, String nhs) {
            org.hl7.fhir.r4.model.MedicationRequest stored = (org.hl7.fhir.r4.model.MedicationRequest)
                    context.asUser(ACTORS.flows().bystander())
                            .create()
                            .resource(prescription(nhs))
                            .execute()
                            .getResource();
            String id = stored.getIdElement().getIdPart();
            Bundle filing = org.ldrtestbed.routes.prescribing.EpsPrescriptionDelivery.worklistEntry(
                    new org.ldrtestbed.routes.prescribing.EpsPrescriptionTranslator.Prescription(
                            stored,
                            org.ldrtestbed.routes.prescribing.Prescriptions.shortFormId(id, ORGANISATIONS.practice()),
                            ORGANISATIONS.practice(),
                            ORGANISATIONS.pharmacy()));
            context.asClient("spine-eps").transaction().withBundle(filing).execute();
        }

        private static org.hl7.fhir.r4.model.MedicationRequest prescription(String nhs) {
            org.hl7.fhir.r4.model.MedicationRequest request = new org.hl7.fhir.r4.model.MedicationRequest();
            request.setStatus(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.ACTIVE);
            request.setIntent(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent.ORDER);
            request.getCourseOfTherapyType()
                    .addCoding()
                    .setSystem(org.ldrtestbed.routes.prescribing.Prescriptions.COURSE)
                    .setCode("acute");
            request.getMedicationCodeableConcept()
                    .addCoding()
                    .setSystem("http://snomed.info/sct")
                    .setCode("39732311000001104")
                    .setDisplay("Amoxicillin 250mg capsules");
            request.setSubject(patient(nhs));
            request.setRequester(new Reference("Practitioner/sds-900000000101"));
            request.setAuthoredOn(new Date());
            request.getDispenseRequest().setPerformer(new Reference("Organization/" + ORGANISATIONS.pharmacy()));
            return request;
        }
    }

    /** Capability (g): A&E registers an attendance; CP-IS is asked (these patients are on no plan). */
    final class CpIsAccess implements BenchedFlow {
        @Override
        public String code() {
            return "cp-is-access";
        }

        @Override
        public void send(BenchContext context, String nhs) {
            context.asUser(ACTORS.flows().sender(code()))
                    .create()
                    .resource(attendance(nhs))
                    .execute();
        }

        @Override
        public void writeDirectly(BenchContext context, String nhs) {
            // The baseline: the same attendance written where it starts no flow (no lookup, nothing filed).
            context.asUser(ACTORS.flows().bystander())
                    .create()
                    .resource(attendance(nhs))
                    .execute();
        }

        private static org.hl7.fhir.r4.model.Encounter attendance(String nhs) {
            org.hl7.fhir.r4.model.Encounter encounter = new org.hl7.fhir.r4.model.Encounter();
            encounter.setStatus(org.hl7.fhir.r4.model.Encounter.EncounterStatus.INPROGRESS);
            encounter
                    .getClass_()
                    .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
                    .setCode("EMER");
            encounter.setSubject(patient(nhs));
            encounter.setServiceProvider(new Reference("Organization/" + ORGANISATIONS.acuteTrust()));
            encounter.getPeriod().setStart(new Date());
            return encounter;
        }
    }

    private static Reference patient(String nhs) {
        return new Reference("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhs)
                .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhs));
    }

    /** Record sharing: the hospital PAS sends an ADT^A01 over MLLP. */
    final class AdtNotification implements BenchedFlow {
        private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmm");
        private final AdtTranslator translator = new AdtTranslator();

        @Override
        public String code() {
            return "adt-notification";
        }

        @Override
        public void send(BenchContext context, String nhs) throws IOException {
            String ack = context.mllp().send(admission(nhs));
            if (!"AA".equals(MllpClient.acknowledgementCode(ack))) {
                throw new IllegalStateException("ADT not accepted: " + MllpClient.acknowledgementText(ack));
            }
        }

        @Override
        public void writeDirectly(BenchContext context, String nhs) {
            Bundle filing = AdtNotificationDelivery.filing(translator.toEvent(admission(nhs)));
            context.asClient("acute-integration")
                    .transaction()
                    .withBundle(filing)
                    .execute();
        }

        /** The shipped sample admission (hl7v2/samples/adt-a01.hl7), for this patient, visit and moment. */
        private static String admission(String nhs) {
            String id = UUID.randomUUID().toString().substring(0, 18);
            String now = ZonedDateTime.now(ZoneId.of("Europe/London")).format(HL7_TIME);
            return resource("hl7v2/samples/adt-a01.hl7")
                    .replace("9990000018", nhs)
                    .replace("V1001", "V" + id)
                    .replace("MSG-A01-1", "B" + id)
                    .replace("202601121030", now);
        }
    }

    private static String resource(String location) {
        try {
            return new ClassPathResource(location).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
