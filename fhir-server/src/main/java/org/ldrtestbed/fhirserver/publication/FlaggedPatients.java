package org.ldrtestbed.fhirserver.publication;

import org.ldrtestbed.routes.contract.SharingFlow.Publication.Cohort;

/** Whether a patient is in a publishing flow's cohort: flagged by an organisation of the flow's source setting. */
@FunctionalInterface
public interface FlaggedPatients {

    /**
     * @param patientId the Patient resource's id
     * @param cohort the flow's cohort (the Flag code that puts a patient in it)
     * @param sourceSetting the care setting whose organisations' flags count (a flag anyone else wrote does not)
     */
    boolean flagged(String patientId, Cohort cohort, String sourceSetting);
}
