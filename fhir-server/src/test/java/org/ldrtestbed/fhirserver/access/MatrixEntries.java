package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.identity.access.AccessPolicy;
import org.ldrtestbed.identity.access.AccessPolicy.ResourceClass;
import org.ldrtestbed.identity.contract.FhirPathTruth;

/**
 * Minimal, valid, synthetic entries of each FHIR type the access matrix writes, and the set-up entries that give a
 * patient a care relationship, a dissent or a proxy grant. Which type stands for a policy class, and which marker puts
 * an entry in a class that narrows its types with FHIRPath, is read from the policy; {@link #classOf} checks, by the
 * policy's own rules, that every built entry lands in the class it was built for.
 */
final class MatrixEntries {

    /** A class chosen by the writer's care setting holds any type; the matrix writes this one. */
    static final String WRITTEN_BY_SETTING_TYPE = "Observation";

    static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";

    private static final String SNOMED = "http://snomed.info/sct";

    /**
     * Codings that put an entry of a type into a class narrowed by {@code where} (end-of-life care plans and their
     * pointers); checked against the policy's FHIRPath before anything is written.
     */
    private static final Map<String, Coding> CLASS_MARKERS = Map.of(
            "CarePlan", new Coding(SNOMED, "736373009", "End of life care plan"),
            "DocumentReference", new Coding(SNOMED, "861421000000109", "End of life care coordination summary"));

    private static final Map<String, Function<Reference, Resource>> BUILDERS = Map.ofEntries(
            Map.entry("Observation", MatrixEntries::observation),
            Map.entry("Condition", MatrixEntries::condition),
            Map.entry("CarePlan", MatrixEntries::carePlan),
            Map.entry("Goal", MatrixEntries::goal),
            Map.entry("RelatedPerson", MatrixEntries::relatedPerson),
            Map.entry("MedicationStatement", MatrixEntries::medicationStatement),
            Map.entry("AllergyIntolerance", MatrixEntries::allergy),
            Map.entry("Immunization", MatrixEntries::immunization),
            Map.entry("Procedure", MatrixEntries::procedure),
            Map.entry("Encounter", MatrixEntries::encounter),
            Map.entry("Flag", MatrixEntries::flag),
            Map.entry("DocumentReference", MatrixEntries::documentReference),
            Map.entry("ServiceRequest", MatrixEntries::serviceRequest),
            Map.entry("Consent", MatrixEntries::sharingPreference));

    private final IFhirPath fhirPath;
    private final AccessPolicy policy;

    MatrixEntries(FhirContext fhir, AccessPolicy policy) {
        this.fhirPath = fhir.newFhirPath();
        this.policy = policy;
    }

    /**
     * The type the matrix writes for a class: the first of its types (then of its FHIRPath-narrowed types, by name)
     * that can be built, leaving out Patient, which the set-up writes once per patient.
     */
    String typeFor(ResourceClass resourceClass) {
        if (!resourceClass.writtenBySetting().isEmpty()) {
            return WRITTEN_BY_SETTING_TYPE;
        }
        List<String> candidates = new ArrayList<>(resourceClass.types());
        resourceClass.where().keySet().stream().sorted().forEach(candidates::add);
        return candidates.stream()
                .filter(t -> !t.equals("Patient") && BUILDERS.containsKey(t))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No builder for any type of class " + resourceClass.code()
                        + " " + candidates + ": add one to " + MatrixEntries.class.getSimpleName()));
    }

    /** An entry of the class's type for the patient, labelled sensitive when a label is given. */
    Resource build(ResourceClass resourceClass, String patientId, Optional<AccessPolicy.SensitiveLabel> label) {
        String type = typeFor(resourceClass);
        Resource entry = BUILDERS.get(type).apply(new Reference("Patient/" + patientId));
        String where = resourceClass.where().get(type);
        if (where != null) {
            mark(entry, CLASS_MARKERS.get(type));
            if (!isTrue(entry, where)) {
                throw new IllegalStateException(
                        type + " built for class " + resourceClass.code() + " does not satisfy its FHIRPath " + where);
            }
        }
        label.ifPresent(l -> entry.getMeta().addSecurity(l.system(), l.code(), null));
        return entry;
    }

    /**
     * The class the policy puts an entry in, by the policy file's own rule: the first class, top to bottom, whose
     * writer settings, FHIRPath or types match.
     */
    Optional<String> classOf(Resource entry, Optional<String> writerSetting) {
        String type = entry.fhirType();
        for (ResourceClass candidate : policy.classes()) {
            if (!candidate.writtenBySetting().isEmpty()) {
                if (writerSetting.isPresent() && candidate.writtenBySetting().contains(writerSetting.get())) {
                    return Optional.of(candidate.code());
                }
                continue;
            }
            String where = candidate.where().get(type);
            if ((where != null && isTrue(entry, where)) || candidate.types().contains(type)) {
                return Optional.of(candidate.code());
            }
        }
        return Optional.empty();
    }

    /** A care team naming organisations as members: each is then involved in the patient's care. */
    static CareTeam careTeam(String patientId, Collection<String> organisations) {
        CareTeam team = new CareTeam();
        team.setStatus(CareTeam.CareTeamStatus.ACTIVE);
        team.setName("Synthetic multidisciplinary team");
        team.setSubject(new Reference("Patient/" + patientId));
        organisations.forEach(o -> team.addParticipant().setMember(new Reference("Organization/" + o)));
        return team;
    }

    /**
     * The patient's dissent from sharing: with the organisations it names (none: every organisation) and the resource
     * types it covers (none: every type).
     */
    static Consent dissent(String patientId, Collection<String> organisations, Collection<String> types) {
        Consent consent = privacyConsent(patientId);
        Consent.ProvisionComponent provision = consent.getProvision().setType(Consent.ConsentProvisionType.DENY);
        organisations.forEach(o -> provision
                .addActor()
                .setRole(recipientRole())
                .setReference(new Reference()
                        .setIdentifier(new Identifier().setSystem(ODS).setValue(o))));
        types.forEach(t -> provision.addClass_(new Coding(RESOURCE_TYPES, t, null)));
        return consent;
    }

    /** The patient's grant to a proxy (named by realm username) of the resource types they may see. */
    static Consent proxyGrant(String patientId, String proxyUsername, Collection<String> types) {
        Consent consent = privacyConsent(patientId);
        Consent.ProvisionComponent provision = consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        provision
                .addActor()
                .setRole(recipientRole())
                .setReference(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(PatientRecords.REALM_USER)
                                .setValue(proxyUsername)));
        types.forEach(t -> provision.addClass_(new Coding(RESOURCE_TYPES, t, null)));
        return consent;
    }

    private static Consent privacyConsent(String patientId) {
        Consent consent = new Consent();
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setScope(concept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"));
        consent.addCategory(concept("http://loinc.org", "59284-0"));
        consent.setPatient(new Reference("Patient/" + patientId));
        consent.setDateTimeElement(DateTimeType.now());
        consent.setPolicyRule(concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN"));
        return consent;
    }

    private boolean isTrue(Resource entry, String expression) {
        return FhirPathTruth.isTrue(fhirPath, entry, expression);
    }

    private static void mark(Resource entry, Coding marker) {
        switch (entry) {
            case CarePlan plan -> plan.addCategory(new CodeableConcept(marker));
            case DocumentReference document -> document.setType(new CodeableConcept(marker));
            default -> throw new IllegalStateException("No class marker for " + entry.fhirType());
        }
    }

    private static CodeableConcept recipientRole() {
        return concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP");
    }

    private static CodeableConcept concept(String system, String code) {
        return new CodeableConcept(new Coding(system, code, null));
    }

    private static CodeableConcept text(String text) {
        return new CodeableConcept().setText(text + " (synthetic)");
    }

    private static Resource observation(Reference patient) {
        return new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setCode(text("Matrix observation"))
                .setSubject(patient);
    }

    private static Resource condition(Reference patient) {
        return new Condition()
                .setClinicalStatus(concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"))
                .setCode(text("Matrix problem"))
                .setSubject(patient);
    }

    private static Resource carePlan(Reference patient) {
        return new CarePlan()
                .setStatus(CarePlan.CarePlanStatus.ACTIVE)
                .setIntent(CarePlan.CarePlanIntent.PLAN)
                .setTitle("Matrix care plan (synthetic)")
                .setSubject(patient);
    }

    private static Resource goal(Reference patient) {
        return new Goal()
                .setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE)
                .setDescription(text("Matrix goal"))
                .setSubject(patient);
    }

    private static Resource relatedPerson(Reference patient) {
        RelatedPerson person = new RelatedPerson().setPatient(patient);
        person.addName().setFamily("Relative-Synthetic");
        return person;
    }

    private static Resource medicationStatement(Reference patient) {
        return new MedicationStatement()
                .setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE)
                .setMedication(text("Matrix medicine"))
                .setSubject(patient);
    }

    private static Resource allergy(Reference patient) {
        return new AllergyIntolerance()
                .setClinicalStatus(
                        concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"))
                .setCode(text("Matrix allergy"))
                .setPatient(patient);
    }

    private static Resource immunization(Reference patient) {
        return new Immunization()
                .setStatus(Immunization.ImmunizationStatus.COMPLETED)
                .setVaccineCode(text("Matrix vaccine"))
                .setPatient(patient)
                .setOccurrence(DateTimeType.now());
    }

    private static Resource procedure(Reference patient) {
        return new Procedure()
                .setStatus(Procedure.ProcedureStatus.COMPLETED)
                .setCode(text("Matrix procedure"))
                .setSubject(patient);
    }

    private static Resource encounter(Reference patient) {
        return new Encounter()
                .setStatus(Encounter.EncounterStatus.FINISHED)
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"))
                .setSubject(patient);
    }

    private static Resource flag(Reference patient) {
        return new Flag()
                .setStatus(Flag.FlagStatus.ACTIVE)
                .setCode(text("Matrix alert"))
                .setSubject(patient);
    }

    private static Resource documentReference(Reference patient) {
        DocumentReference document = new DocumentReference()
                .setStatus(DocumentReferenceStatus.CURRENT)
                .setSubject(patient)
                .setDescription("Matrix letter (synthetic)");
        document.addContent()
                .getAttachment()
                .setContentType("text/plain")
                .setData("Synthetic letter".getBytes(StandardCharsets.UTF_8));
        return document;
    }

    private static Resource serviceRequest(Reference patient) {
        return new ServiceRequest()
                .setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE)
                .setIntent(ServiceRequest.ServiceRequestIntent.PLAN)
                .setCode(text("Matrix referral"))
                .setSubject(patient);
    }

    /** A sharing preference that neither dissents nor grants anything: only an entry of the consents class. */
    private static Resource sharingPreference(Reference patient) {
        Consent consent = privacyConsent(patient.getReference().substring("Patient/".length()));
        consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        return consent;
    }
}
