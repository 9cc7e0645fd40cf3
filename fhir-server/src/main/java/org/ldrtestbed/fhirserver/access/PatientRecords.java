package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.fhirserver.contract.Systems;
import org.ldrtestbed.fhirserver.directory.DirectoryResources;
import org.ldrtestbed.identity.audit.BalpAuditEvents;
import org.ldrtestbed.identity.contract.NhsNumber;

/**
 * What the record itself says about a patient that access decisions need: which Patient resources an NHS number is,
 * and the patient's active Consents (dissent from sharing, grants to a proxy). Read through the DAOs, cached, and
 * dropped from the cache when a Patient or Consent is written.
 */
public final class PatientRecords {

    /** A proxy is named in a Consent by their realm username under this identifier system (as audit agents are). */
    public static final String REALM_USER = BalpAuditEvents.REALM_USER;

    /**
     * A journey rerun against a server that already holds its patient follows a fresh synthetic NHS number; its
     * Patient carries the realm patient's NHS number under this system, so that patient's (and proxy's) token reaches
     * the rerun's record too. A testbed convention, not an NHS identifier.
     */
    public static final String STANDS_IN_FOR = Systems.STANDS_IN_FOR;

    private static final int MOST = 1000;

    private final DaoRegistry daos;
    private final Map<String, Set<String>> patientsByNhsNumber = new ConcurrentHashMap<>();
    private final Map<String, List<Consent>> consentsByPatient = new ConcurrentHashMap<>();

    public PatientRecords(DaoRegistry daos) {
        this.daos = daos;
    }

    /** The ids of the Patient resources that carry this NHS number (or stand in for it, {@link #STANDS_IN_FOR}). */
    public Set<String> patientIds(String nhsNumber) {
        return patientsByNhsNumber.computeIfAbsent(nhsNumber, number -> {
            SearchParameterMap byNumber = SearchParameterMap.newSynchronous()
                    .add(
                            "identifier",
                            new TokenOrListParam().add(NhsNumber.SYSTEM, number).add(STANDS_IN_FOR, number));
            Set<String> ids = new LinkedHashSet<>();
            for (IBaseResource patient : search("Patient", byNumber)) {
                ids.add(patient.getIdElement().getIdPart());
            }
            return ids;
        });
    }

    /** Whether an active dissent of the patient covers this organisation and resource type. */
    public boolean dissents(String patientId, String organisation, String resourceType) {
        return consents(patientId).stream()
                .filter(c -> c.getProvision().getType() == Consent.ConsentProvisionType.DENY)
                .anyMatch(c -> names(c, organisation) && covers(c, resourceType));
    }

    /** The resource types the patient has granted this proxy (by realm username). */
    public Set<String> grantedTo(String patientId, String username) {
        Set<String> types = new LinkedHashSet<>();
        consents(patientId).stream()
                .filter(c -> c.getProvision().getType() == Consent.ConsentProvisionType.PERMIT)
                .filter(c -> c.getProvision().getActor().stream()
                        .map(a -> a.getReference().getIdentifier())
                        .anyMatch(i -> REALM_USER.equals(i.getSystem()) && username.equals(i.getValue())))
                .forEach(c -> c.getProvision().getClass_().forEach(coding -> types.add(coding.getCode())));
        return types;
    }

    /** The stored entry a reference names, read as the server (not as any reader); empty when there is none. */
    public java.util.Optional<IBaseResource> stored(org.hl7.fhir.instance.model.api.IIdType reference) {
        if (reference == null || !reference.hasResourceType() || !reference.hasIdPart()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(daos.getResourceDao(reference.getResourceType())
                    .read(reference.toUnqualifiedVersionless(), new SystemRequestDetails(), true));
        } catch (ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException | IllegalArgumentException e) {
            return java.util.Optional.empty(); // unknown type, never stored, or deleted
        }
    }

    public void forgetPatients() {
        CareRelationships.afterCommit(patientsByNhsNumber::clear);
    }

    public void forgetConsents(String patientId) {
        CareRelationships.afterCommit(() -> consentsByPatient.remove(patientId));
    }

    private List<Consent> consents(String patientId) {
        return consentsByPatient.computeIfAbsent(patientId, id -> {
            SearchParameterMap active = SearchParameterMap.newSynchronous()
                    .add("patient", new ReferenceParam("Patient/" + id))
                    .add("status", new TokenParam("active"));
            return search("Consent", active).stream().map(Consent.class::cast).toList();
        });
    }

    /** A dissent with no actor covers every organisation. */
    private static boolean names(Consent consent, String organisation) {
        List<Consent.provisionActorComponent> actors = consent.getProvision().getActor();
        return actors.isEmpty()
                || actors.stream()
                        .map(Consent.provisionActorComponent::getReference)
                        .anyMatch(r -> isOrganisation(r, organisation));
    }

    private static boolean isOrganisation(Reference reference, String organisation) {
        if (reference.hasIdentifier()) {
            return DirectoryResources.ODS_ORGANISATION.equals(
                            reference.getIdentifier().getSystem())
                    && organisation.equals(reference.getIdentifier().getValue());
        }
        return ("Organization/" + organisation)
                .equals(reference
                        .getReferenceElement()
                        .toUnqualifiedVersionless()
                        .getValue());
    }

    /** A dissent with no class covers every type. */
    private static boolean covers(Consent consent, String resourceType) {
        return !consent.getProvision().hasClass_()
                || consent.getProvision().getClass_().stream().anyMatch(c -> resourceType.equals(c.getCode()));
    }

    private List<IBaseResource> search(String type, SearchParameterMap map) {
        map.setLoadSynchronousUpTo(MOST);
        return daos.getResourceDao(type).search(map, new SystemRequestDetails()).getResources(0, MOST);
    }
}
