package org.ldrtestbed.fhirserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.Optional;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.access.AccessPolicy;

class AccessControlTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final AccessControl access = new AccessControl(
            FHIR,
            null,
            new ResourceClassifier(FHIR, AccessPolicy.load(AccessMatrix.POLICY), ods -> Optional.empty()),
            null,
            null,
            null);

    @Test
    void organisationsACareTeamNamesAreNotPatients() {
        CareTeam team = new CareTeam().setSubject(new Reference("Patient/42"));
        team.addParticipant().setMember(new Reference("Organization/SYNAC"));
        team.addParticipant().setMember(new Reference("Practitioner/900000000105"));

        assertThat(access.patientIdsOf(team)).containsExactly("42");
    }

    @Test
    void anObservationsPerformerIsNotAPatient() {
        Observation observation = new Observation().setSubject(new Reference("Patient/42"));
        observation.addPerformer(new Reference("Organization/SYNCM"));

        assertThat(access.patientIdsOf(observation)).containsExactly("42");
    }

    @Test
    void aTaskOutsideTheCompartmentBelongsToThePatientItIsFor() {
        Task task = new Task().setFor(new Reference("Patient/42")).setOwner(new Reference("Organization/SYNAC"));

        assertThat(access.patientIdsOf(task)).containsExactly("42");
    }
}
