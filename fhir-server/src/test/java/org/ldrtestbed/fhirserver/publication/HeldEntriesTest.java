package org.ldrtestbed.fhirserver.publication;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.MetaUtil;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.identity.access.AccessDecision;
import org.ldrtestbed.routes.contract.CareSettings;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;

/** The catalogue's publishing flows as {@link HeldEntries} reads them: who each reaches, and b's cohort. */
class HeldEntriesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Map<String, String> SETTINGS = Map.of(
            "SYNG09",
            "primary-care",
            "SYN111",
            "urgent-care",
            "SYNAM",
            "ambulance",
            "SYNAC",
            "acute",
            "SYNCM",
            "community");
    private static final CareSettings SETTING_OF = ods -> Optional.ofNullable(SETTINGS.get(ods));

    private final Set<String> flagged = new HashSet<>();
    private final HeldEntries held = new HeldEntries(
            FHIR,
            FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION),
            SETTING_OF,
            (patient, cohort, setting) -> setting.equals("primary-care") && flagged.contains(patient));

    private static final ActorIdentity CALL_HANDLER = professional("callhandler.okafor", "call-handler", "SYN111");
    private static final ActorIdentity PARAMEDIC = professional("paramedic.hale", "paramedic", "SYNAM");
    private static final ActorIdentity ED = professional("edconsultant.marsh", "ed-consultant", "SYNAC");
    private static final ActorIdentity REGISTRAR = professional("registrar.lindqvist", "registrar", "SYNAC");
    private static final ActorIdentity COMMUNITY = professional("commclinician.rowe", "community-clinician", "SYNCM");

    @Test
    void aFlaggedPatientsGpProblemReachesUrgentCareOnceBPublishesIt() {
        flagged.add("5");
        Condition problem = gpEntry(new Condition(), "gp-additional-information");

        for (ActorIdentity urgentCare : List.of(CALL_HANDLER, PARAMEDIC, ED)) {
            assertThat(held.hold(problem, List.of("5"), urgentCare))
                    .as(urgentCare.username())
                    .isEmpty();
        }
        // Published by b only: the ward and the community hospital wait for the shared care record.
        for (ActorIdentity elsewhere : List.of(REGISTRAR, COMMUNITY)) {
            assertThat(held.hold(problem, List.of("5"), elsewhere))
                    .as(elsewhere.username())
                    .get()
                    .satisfies(d -> {
                        assertThat(d.reason()).isEqualTo(AccessDecision.Reason.HELD);
                        assertThat(d.detail()).contains("gp-record-sharing");
                    });
        }
    }

    @Test
    void anUnflaggedPatientsGpProblemDoesNotReachUrgentCareEvenIfPublished() {
        Condition problem = gpEntry(new Condition(), "gp-additional-information", "gp-record-sharing");

        for (ActorIdentity urgentCare : List.of(CALL_HANDLER, PARAMEDIC, ED)) {
            assertThat(held.hold(problem, List.of("5"), urgentCare))
                    .as(urgentCare.username())
                    .get()
                    .satisfies(d -> {
                        assertThat(d.reason()).isEqualTo(AccessDecision.Reason.NOT_FLAGGED);
                        assertThat(d.detail()).contains("likely to present").contains("gp-additional-information");
                    });
        }
        assertThat(held.hold(problem, List.of("5"), REGISTRAR)).isEmpty();
        assertThat(held.hold(problem, List.of("5"), COMMUNITY)).isEmpty();
    }

    @Test
    void theNoticeDependsOnReaderPatientAndTypeOnly() {
        assertThat(held.wouldWithhold("Condition", "5", CALL_HANDLER))
                .get()
                .extracting(AccessDecision::reason)
                .isEqualTo(AccessDecision.Reason.NOT_FLAGGED);
        // Types b does not carry, readers it does not reach, flagged patients: nothing to say.
        assertThat(held.wouldWithhold("MedicationStatement", "5", CALL_HANDLER)).isEmpty();
        assertThat(held.wouldWithhold("Condition", "5", REGISTRAR)).isEmpty();
        flagged.add("5");
        assertThat(held.wouldWithhold("Condition", "5", CALL_HANDLER)).isEmpty();
    }

    @Test
    void theGpSummaryReachesEveryProfessionalWhateverTheCohort() {
        MedicationStatement medicine = gpEntry(new MedicationStatement(), "gp-summary");

        for (ActorIdentity reader : List.of(CALL_HANDLER, PARAMEDIC, ED, REGISTRAR, COMMUNITY)) {
            assertThat(held.hold(medicine, List.of("5"), reader))
                    .as(reader.username())
                    .isEmpty();
        }
    }

    @Test
    void theGpsOwnStaffSeeTheirEntriesAtOnce() {
        Condition problem = gpEntry(new Condition());

        assertThat(held.hold(problem, List.of("5"), professional("gp.ashdown", "gp", "SYNG09")))
                .isEmpty();
    }

    private static <R extends Resource> R gpEntry(R entry, String... publishedBy) {
        entry.setId(entry.fhirType() + "/9");
        MetaUtil.setSource(FHIR, entry, RecordAttribution.sourceFor(professional("gp.ashdown", "gp", "SYNG09")));
        if (entry instanceof Condition c) {
            c.setSubject(new Reference("Patient/5"));
        } else if (entry instanceof MedicationStatement m) {
            m.setSubject(new Reference("Patient/5"));
        }
        for (String flow : publishedBy) {
            entry.getMeta().addTag(SharingFlow.PUBLISHED_BY, flow, null);
        }
        return entry;
    }

    private static ActorIdentity professional(String username, String role, String organisation) {
        return new ActorIdentity(username, List.of(role), organisation, "900000000199", null, null, null);
    }
}
