package org.ldrtestbed.fhirserver.publication;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.util.MetaUtil;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Flag;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.routes.contract.CareSettings;
import org.ldrtestbed.routes.contract.SharingFlow.Publication.Cohort;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@link FlaggedPatients} from the record: a patient's active Flags of the cohort's code, read through the DAO as the
 * server, kept per patient and code, and forgotten once any Flag write commits (flags change rarely, entries are read
 * often).
 */
@Interceptor
public final class FlagRecords implements FlaggedPatients {

    private static final int MOST = 100;

    private final FhirContext fhirContext;
    private final DaoRegistry daos;
    private final CareSettings settings;
    private final Map<String, List<String>> flaggingOrganisations = new ConcurrentHashMap<>();

    public FlagRecords(FhirContext fhirContext, DaoRegistry daos, CareSettings settings) {
        this.fhirContext = fhirContext;
        this.daos = daos;
        this.settings = settings;
    }

    @Override
    public boolean flagged(String patientId, Cohort cohort, String sourceSetting) {
        return flaggingOrganisations(patientId, cohort).stream()
                .anyMatch(o -> settings.settingOf(o).map(sourceSetting::equals).orElse(false));
    }

    /** The organisations that wrote an active Flag of the cohort's code in the patient's record. */
    private List<String> flaggingOrganisations(String patientId, Cohort cohort) {
        String key =
                patientId + "|" + cohort.flag().system() + "|" + cohort.flag().code();
        List<String> known = flaggingOrganisations.get(key);
        if (known != null) {
            return known;
        }
        // Read outside the map's lock: the search runs the server's interceptors, which may ask again.
        List<String> read = readFlaggingOrganisations(patientId, cohort);
        flaggingOrganisations.putIfAbsent(key, read);
        return read;
    }

    private List<String> readFlaggingOrganisations(String patientId, Cohort cohort) {
        // Flag has no code or status search parameter in R4: read the patient's flags and look.
        SearchParameterMap ofPatient =
                SearchParameterMap.newSynchronous().add("patient", new ReferenceParam("Patient/" + patientId));
        ofPatient.setLoadSynchronousUpTo(MOST);
        List<IBaseResource> flags = daos.getResourceDao("Flag")
                .search(ofPatient, new SystemRequestDetails())
                .getResources(0, MOST);
        return flags.stream()
                .map(Flag.class::cast)
                .filter(f -> f.getStatus() == Flag.FlagStatus.ACTIVE)
                .filter(f -> f.getCode().getCoding().stream()
                        .anyMatch(c -> cohort.flag().system().equals(c.getSystem())
                                && cohort.flag().code().equals(c.getCode())))
                .map(f -> RecordAttribution.organisationOf(MetaUtil.getSource(fhirContext, f.getMeta())))
                .flatMap(java.util.Optional::stream)
                .distinct()
                .toList();
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        forgetIfFlag(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource oldResource, IBaseResource newResource) {
        forgetIfFlag(newResource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        forgetIfFlag(resource);
    }

    private void forgetIfFlag(IBaseResource resource) {
        if (!"Flag".equals(fhirContext.getResourceType(resource))) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    flaggingOrganisations.clear();
                }
            });
        }
        flaggingOrganisations.clear();
    }
}
