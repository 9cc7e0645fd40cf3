package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.fhirserver.directory.DirectoryResources;
import org.ldrtestbed.identity.access.AccessPolicy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Which organisations are involved in each patient's care (the legitimate relationship): learnt from the care events
 * the policy names (a registration, an encounter's provider, a care team; a referral's performer or a task's owner
 * when someone else sent it). Writing an entry never makes the writer involved by itself. Kept in a table written in
 * the same transaction as the entry, and cached.
 */
public final class CareRelationships {

    private final FhirContext fhirContext;
    private final IFhirPath fhirPath;
    private final Map<String, AccessPolicy.CareEvent> careEvents;
    private final JdbcTemplate jdbc;
    private final Map<String, Set<String>> known = new ConcurrentHashMap<>();

    public CareRelationships(FhirContext fhirContext, AccessPolicy policy, DataSource dataSource) {
        this.fhirContext = fhirContext;
        this.fhirPath = fhirContext.newFhirPath();
        this.careEvents = policy.legitimateRelationship().careEvents();
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE IF NOT EXISTS care_relationship ("
                + "patient_id VARCHAR(64) NOT NULL, organisation VARCHAR(64) NOT NULL)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS care_relationship_patient ON care_relationship (patient_id)");
    }

    public boolean involved(String patientId, String organisation) {
        return organisation != null && organisations(patientId).contains(organisation);
    }

    /** Loaded from the table once per patient, then kept current by {@link #learn}. */
    public Set<String> organisations(String patientId) {
        return known.computeIfAbsent(patientId, this::load);
    }

    /**
     * Records what a write says about involvement, inside the write's transaction.
     *
     * @param writer the writer's organisation; null for a system client or a patient
     */
    public void learn(IBaseResource entry, List<String> patientIds, String writer) {
        AccessPolicy.CareEvent event = careEvents.get(fhirContext.getResourceType(entry));
        if (event == null || patientIds.isEmpty()) {
            return;
        }
        Set<String> organisations = new LinkedHashSet<>(organisationsAt(entry, event.recorded()));
        for (String referred : organisationsAt(entry, event.referred())) {
            if (!referred.equals(writer)) {
                organisations.add(referred); // a referral to oneself is no relationship
            }
        }
        for (String patientId : patientIds) {
            Set<String> already = organisations(patientId);
            for (String organisation : organisations) {
                if (!already.contains(organisation)) {
                    jdbc.update(
                            "INSERT INTO care_relationship (patient_id, organisation) VALUES (?, ?)",
                            patientId,
                            organisation);
                    afterCommit(() -> organisations(patientId).add(organisation));
                }
            }
        }
    }

    private Set<String> organisationsAt(IBaseResource entry, List<String> paths) {
        Set<String> organisations = new LinkedHashSet<>();
        for (String path : paths) {
            for (IBaseReference reference : fhirPath.evaluate(entry, path, IBaseReference.class)) {
                organisationOf((Reference) reference).ifPresent(organisations::add);
            }
        }
        return organisations;
    }

    private Set<String> load(String patientId) {
        Set<String> loaded = ConcurrentHashMap.newKeySet(4);
        loaded.addAll(jdbc.queryForList(
                "SELECT DISTINCT organisation FROM care_relationship WHERE patient_id = ?", String.class, patientId));
        return loaded;
    }

    /** Directory organisations have their ODS code as id; a logical reference carries it as an identifier. */
    private static Optional<String> organisationOf(Reference reference) {
        if (reference.hasIdentifier()
                && DirectoryResources.ODS_ORGANISATION.equals(
                        reference.getIdentifier().getSystem())) {
            return Optional.ofNullable(reference.getIdentifier().getValue());
        }
        String ref = reference.getReferenceElement().getValue();
        if (ref == null) {
            return Optional.empty();
        }
        int identifier = ref.indexOf(DirectoryResources.ODS_ORGANISATION + "|");
        if (ref.startsWith("Organization?") && identifier >= 0) {
            return Optional.of(ref.substring(identifier + DirectoryResources.ODS_ORGANISATION.length() + 1));
        }
        if ("Organization".equals(reference.getReferenceElement().getResourceType())) {
            return Optional.ofNullable(reference.getReferenceElement().getIdPart());
        }
        return Optional.empty();
    }

    static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
