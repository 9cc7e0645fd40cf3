package org.ldrtestbed.fhirserver.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDaoPatient;
import ca.uhn.fhir.jpa.api.dao.PatientEverythingParameters;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.fhirserver.access.AccessControl;
import org.ldrtestbed.fhirserver.clock.RequestClock;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessPolicy;
import org.ldrtestbed.identity.audit.AuditTrail;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A patient's subject-access export: their record plus its audit trail (the trail itself is searched at {@code GET
 * /fhir/AuditEvent} and verified at {@code GET /fhir/AuditEvent/$verify}, {@link AuditEventProvider}).
 */
@RestController
public class AuditController {

    private static final String FHIR_JSON = "application/fhir+json";
    private static final int MOST = 10_000;

    private final FhirContext fhirContext;
    private final AuditTrail trail;
    private final AccessControl access;
    private final DaoRegistry daos;

    private final Clock clock;

    public AuditController(
            FhirContext fhirContext, AuditTrail trail, AccessControl access, DaoRegistry daos, RequestClock clock) {
        this.clock = clock;
        this.fhirContext = fhirContext;
        this.trail = trail;
        this.access = access;
        this.daos = daos;
    }

    /**
     * A subject access request answered: the record as the patient may see it (what the practice withholds from
     * online access stays withheld), then every access to it.
     */
    @GetMapping(path = "/audit/subject-access-export", produces = FHIR_JSON)
    public String subjectAccessExport() {
        ActorIdentity patient = CurrentActor.get().orElseThrow();
        if (!access.rules().isPatient(patient)) {
            throw new ResponseStatusException(
                    HttpStatus.FORBIDDEN, "A subject access export is for the patient's own token");
        }
        Set<String> patients = access.ownPatients(patient);
        Bundle export = new Bundle().setType(Bundle.BundleType.COLLECTION);
        export.setTimestamp(Date.from(clock.instant()));
        @SuppressWarnings("unchecked")
        IFhirResourceDaoPatient<?> patientDao = (IFhirResourceDaoPatient<?>) daos.getResourceDao("Patient");
        for (String id : patients) {
            IBundleProvider everything = patientDao.patientInstanceEverything(
                    null, new SystemRequestDetails(), new PatientEverythingParameters(), new IdType("Patient", id));
            for (IBaseResource entry : everything.getResources(0, MOST)) {
                if (access.decide(entry, patient, AccessPolicy.TREAT).allowed()) {
                    export.addEntry()
                            .setFullUrl(entry.getIdElement()
                                    .toUnqualifiedVersionless()
                                    .getValue())
                            .setResource((Resource) entry);
                }
            }
        }
        for (AuditEvent event : trail.forPatients(references(patients), MOST)) {
            export.addEntry().setFullUrl("AuditEvent/" + event.getIdPart()).setResource(event);
        }
        return encode(export);
    }

    private static List<String> references(Set<String> patientIds) {
        List<String> references = new ArrayList<>();
        patientIds.forEach(id -> references.add("Patient/" + id));
        return references;
    }

    private String encode(Bundle bundle) {
        return fhirContext.newJsonParser().encodeResourceToString(bundle);
    }
}
