package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
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
 * the same transaction as the entry, and cached; the table comes from the fhir-server module's migrations
 * ({@code db/migration/fhirserver}).
 */
public final class CareRelationships {

    /**
     * One organisation's involvement in a patient's care, and the care event it came from.
     *
     * @param patientId the patient's logical id
     * @param organisation the involved organisation's ODS code
     * @param kind {@code recorded} (care it gives) or {@code referred} (something sent to it)
     * @param via where the event names the organisation, e.g. {@code CareTeam.participant.member}
     * @param event the entry that is the care event, e.g. {@code CareTeam/12}; null for a relationship recorded
     *     before events were kept
     */
    public record CareRelationship(String patientId, String organisation, String kind, String via, String event) {

        /** As the {@code X-Care-Relationship} response header names it; fields not known are left out. */
        public String headerValue() {
            StringBuilder value = new StringBuilder("patient=Patient/" + patientId + "; organisation=" + organisation);
            if (kind != null) {
                value.append("; kind=").append(kind);
            }
            if (via != null) {
                value.append("; via=").append(via);
            }
            if (event != null) {
                value.append("; event=").append(event);
            }
            return value.toString();
        }
    }

    private final FhirContext fhirContext;
    private final IFhirPath fhirPath;
    private final Map<String, AccessPolicy.CareEvent> careEvents;
    private final JdbcTemplate jdbc;
    /** Patient id → organisation → the first care event that made it involved. */
    private final Map<String, Map<String, CareRelationship>> known = new ConcurrentHashMap<>();

    public CareRelationships(FhirContext fhirContext, AccessPolicy policy, DataSource dataSource) {
        this.fhirContext = fhirContext;
        this.fhirPath = fhirContext.newFhirPath();
        this.careEvents = policy.legitimateRelationship().careEvents();
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public boolean involved(String patientId, String organisation) {
        return organisation != null && organisations(patientId).contains(organisation);
    }

    /** Loaded from the table once per patient, then kept current by {@link #learn}. */
    public Set<String> organisations(String patientId) {
        return relationships(patientId).keySet();
    }

    /** The care relationship that makes the organisation involved in the patient's care, if there is one. */
    public Optional<CareRelationship> relationship(String patientId, String organisation) {
        return organisation == null
                ? Optional.empty()
                : Optional.ofNullable(relationships(patientId).get(organisation));
    }

    private Map<String, CareRelationship> relationships(String patientId) {
        return known.computeIfAbsent(patientId, this::load);
    }

    /**
     * Records what a write says about involvement, inside the write's transaction.
     *
     * @param writer the writer's organisation; null for a system client or a patient
     */
    public void learn(IBaseResource entry, List<String> patientIds, String writer) {
        String type = fhirContext.getResourceType(entry);
        AccessPolicy.CareEvent event = careEvents.get(type);
        if (event == null || patientIds.isEmpty()) {
            return;
        }
        String reference = entry.getIdElement().hasIdPart()
                ? entry.getIdElement().toUnqualifiedVersionless().getValue()
                : null;
        Map<String, String[]> organisations = new java.util.LinkedHashMap<>();
        organisationsAt(entry, event.recorded())
                .forEach((org, path) -> organisations.putIfAbsent(org, new String[] {"recorded", type + "." + path}));
        organisationsAt(entry, event.referred()).forEach((referred, path) -> {
            if (!referred.equals(writer)) {
                // a referral to oneself is no relationship
                organisations.putIfAbsent(referred, new String[] {"referred", type + "." + path});
            }
        });
        for (String patientId : patientIds) {
            Map<String, CareRelationship> already = relationships(patientId);
            organisations.forEach((organisation, how) -> {
                if (!already.containsKey(organisation)) {
                    CareRelationship relationship =
                            new CareRelationship(patientId, organisation, how[0], how[1], reference);
                    jdbc.update(
                            "INSERT INTO care_relationship (patient_id, organisation, kind, via, event)"
                                    + " VALUES (?, ?, ?, ?, ?)",
                            patientId,
                            organisation,
                            how[0],
                            how[1],
                            reference);
                    afterCommit(() -> relationships(patientId).putIfAbsent(organisation, relationship));
                }
            });
        }
    }

    /** Each organisation the paths name, with the first path that names it. */
    private Map<String, String> organisationsAt(IBaseResource entry, List<String> paths) {
        Map<String, String> organisations = new java.util.LinkedHashMap<>();
        for (String path : paths) {
            for (IBaseReference reference : fhirPath.evaluate(entry, path, IBaseReference.class)) {
                organisationOf((Reference) reference).ifPresent(org -> organisations.putIfAbsent(org, path));
            }
        }
        return organisations;
    }

    private Map<String, CareRelationship> load(String patientId) {
        Map<String, CareRelationship> loaded = new ConcurrentHashMap<>(4);
        jdbc.query(
                "SELECT organisation, kind, via, event FROM care_relationship WHERE patient_id = ?",
                (org.springframework.jdbc.core.RowCallbackHandler) row -> {
                    loaded.putIfAbsent(
                            row.getString(1),
                            new CareRelationship(
                                    patientId, row.getString(1), row.getString(2), row.getString(3), row.getString(4)));
                },
                patientId);
        return loaded;
    }

    /** Directory organisations have their ODS code as id; a logical reference carries it as an identifier. */
    static Optional<String> organisationOf(Reference reference) {
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
