package org.ldrtestbed.identity.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.identity.contract.NhsNumber;

/**
 * Turns an {@link AuditRecord} into an R4 AuditEvent shaped by IHE Basic Audit Log Patterns (BALP), and writes and
 * reads the compact JSON that the audit trail stores and hashes.
 */
public final class BalpAuditEvents {

    public static final String PROFILE_BASE = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.";
    public static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    public static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
    public static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public static final String REALM_USER = "https://fhir.ldr-testbed.example/Id/realm-user";
    public static final String CLIENT_ID = "https://fhir.ldr-testbed.example/Id/client-id";
    public static final String TESTBED_ROLE = "https://fhir.ldr-testbed.example/CodeSystem/testbed-role";
    public static final String SDS_USER_ID = "https://fhir.nhs.uk/Id/sds-user-id";
    public static final String SDS_JOB_ROLE = "https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode";
    public static final String ODS_ORGANISATION = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    public static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    public static final String SOURCE_NAME = "ldr-testbed";

    private static final String OTHER_ID = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/ihe-otherId";
    private static final String BALP_ENTITY_TYPE = "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";
    private static final String SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";
    private static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    private static final String ROLE_CLASS = "http://terminology.hl7.org/CodeSystem/v3-RoleClass";
    private static final String IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203";

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private BalpAuditEvents() {}

    /** The BALP AuditEvent for one access; it has no id until the trail gives it one. */
    public static AuditEvent toAuditEvent(AuditRecord record) {
        AuditEvent event = new AuditEvent();
        event.getMeta().addProfile(profile(record));
        event.setType(new Coding(AUDIT_EVENT_TYPE, "rest", "RESTful Operation"));
        event.addSubtype(new Coding(RESTFUL_INTERACTION, record.interaction(), null));
        event.setAction(AuditEventAction.fromCode(record.action()));
        // In UTC, so that the stored JSON does not depend on the server's time zone.
        event.setRecordedElement(new InstantType(Date.from(record.occurred()), TemporalPrecisionEnum.MILLI, UTC));
        event.setOutcome(AuditEventOutcome.fromCode(String.valueOf(record.outcome())));
        event.setOutcomeDesc(record.outcomeDescription());
        if (record.purposeOfUse() != null) {
            event.addPurposeOfEvent(concept(ACT_REASON, record.purposeOfUse(), null));
        }
        addUser(event, record);
        if (record.clientId() != null) {
            event.addAgent()
                    .setType(concept(DICOM, "110153", "Source Role ID"))
                    .setWho(identifier(CLIENT_ID, record.clientId()))
                    .setRequestor(false);
        }
        event.addAgent()
                .setType(concept(DICOM, "110152", "Destination Role ID"))
                .setWho(new Reference().setDisplay(SOURCE_NAME))
                .setRequestor(false);
        if (record.organisation() != null) {
            // R4 agents have no onBehalfOf, so the organisation the user works for is an agent of its own.
            event.addAgent()
                    .setType(concept(ROLE_CLASS, "PROV", "healthcare provider"))
                    .setWho(identifier(ODS_ORGANISATION, record.organisation()))
                    .setRequestor(false);
        }
        event.getSource()
                .setObserver(new Reference().setDisplay(SOURCE_NAME))
                .addType(new Coding(SOURCE_TYPE, "4", "Application Server"));
        addEntities(event, record);
        return event;
    }

    /** Compact JSON: the text the trail stores and hashes, so it must not change once written. */
    public static String toJson(AuditEvent event) {
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(event);
    }

    public static AuditEvent parse(String json) {
        return FhirContext.forR4Cached().newJsonParser().parseResource(AuditEvent.class, json);
    }

    /** BALP profiles follow the interaction; the Patient* variants apply when a patient is the subject. */
    static String profile(AuditRecord record) {
        String kind = switch (record.interaction()) {
            case "read", "vread" -> "Read";
            case "create" -> "Create";
            case "update", "patch" -> "Update";
            case "delete" -> "Delete";
            default ->
                isQuery(record.interaction())
                        ? "Query"
                        : switch (record.action()) {
                            case "C" -> "Create";
                            case "R" -> "Read";
                            case "U" -> "Update";
                            case "D" -> "Delete";
                            default -> "Query";
                        };
        };
        return PROFILE_BASE + (record.hasPatient() ? "Patient" : "") + kind;
    }

    private static boolean isQuery(String interaction) {
        return interaction.startsWith("search") || interaction.startsWith("history");
    }

    private static void addUser(AuditEvent event, AuditRecord record) {
        AuditEventAgentComponent user = event.addAgent()
                .setType(userType(record))
                .setWho(identifier(REALM_USER, record.username()))
                .setAltId(record.username()) // the login name: what AuditEvent's `altid` search matches
                .setRequestor(true);
        if (record.practitioner() != null) {
            Identifier sds = new Identifier()
                    .setType(concept(IDENTIFIER_TYPE, "PRN", "Provider number"))
                    .setSystem(SDS_USER_ID)
                    .setValue(record.practitioner());
            user.addExtension(new Extension(OTHER_ID, sds));
        }
        for (String role : record.roles()) {
            user.addRole(concept(TESTBED_ROLE, role, null));
        }
        if (record.nrbacRole() != null) {
            user.addRole(concept(SDS_JOB_ROLE, record.nrbacRole(), null));
        }
        if (record.purposeOfUse() != null || record.breakGlassReason() != null) {
            CodeableConcept purpose = record.purposeOfUse() == null
                    ? new CodeableConcept()
                    : concept(ACT_REASON, record.purposeOfUse(), null);
            user.addPurposeOfUse(purpose.setText(record.breakGlassReason()));
        }
    }

    /** BALP's user-agent types: the recipient of a read or query, the agent of a write, or the patient themself. */
    private static CodeableConcept userType(AuditRecord record) {
        if (record.roles().contains("patient")) {
            return concept(ROLE_CLASS, "PAT", "patient");
        }
        return switch (record.action()) {
            case "R", "E" -> concept(PARTICIPATION_TYPE, "IRCP", "information recipient");
            default -> concept(ROLE_CLASS, "AGNT", "agent");
        };
    }

    private static void addEntities(AuditEvent event, AuditRecord record) {
        if (record.hasPatient()) {
            Reference patient = new Reference(record.patientReference());
            if (record.patientNhsNumber() != null) {
                patient.setIdentifier(
                        new Identifier().setSystem(NhsNumber.SYSTEM).setValue(record.patientNhsNumber()));
            }
            event.addEntity()
                    .setWhat(patient)
                    .setType(new Coding(ENTITY_TYPE, "1", "Person"))
                    .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
        }
        if (record.query() != null) {
            AuditEventEntityComponent data = event.addEntity().setType(new Coding(ENTITY_TYPE, "2", "System Object"));
            if (isQuery(record.interaction())) {
                data.setRole(new Coding(OBJECT_ROLE, "24", "Query"))
                        .setQuery(record.query().getBytes(StandardCharsets.UTF_8))
                        .setDescription(record.resourceType());
            } else {
                data.setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource")).setWhat(new Reference(record.query()));
            }
        }
        if (record.requestId() != null) {
            event.addEntity()
                    .setType(new Coding(BALP_ENTITY_TYPE, "XrequestId", "X-Request-Id"))
                    .setWhat(new Reference().setIdentifier(new Identifier().setValue(record.requestId())));
        }
    }

    private static Reference identifier(String system, String value) {
        return new Reference().setIdentifier(new Identifier().setSystem(system).setValue(value));
    }

    private static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept(new Coding(system, code, display));
    }
}
