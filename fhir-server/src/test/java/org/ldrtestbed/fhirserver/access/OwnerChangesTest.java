package org.ldrtestbed.fhirserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class OwnerChangesTest {

    private final OwnerChanges owners = new OwnerChanges(
            FhirContext.forR4Cached(), Map.of("Task", List.of("status", "businessStatus", "output", "note")));

    private static Task dressingTask() {
        Task task = new Task();
        task.setId("Task/7/_history/1");
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setDescription("Change the leg ulcer dressing");
        task.setFor(new Reference("Patient/1"));
        task.setRequester(new Reference("Organization/SYNG09"));
        task.setOwner(new Reference("Organization/SYNCM"));
        return task;
    }

    @Test
    void theOwnerCompletingItWithAnOutputIsAWorkflowChange() {
        Task done = dressingTask().copy();
        done.setId("Task/7/_history/2");
        done.setStatus(Task.TaskStatus.COMPLETED);
        done.addOutput().setValue(new StringType("dressing changed, wound healing"));

        assertThat(owners.workflowOnly(dressingTask(), done)).isTrue();
        assertThat(owners.addressedTo(dressingTask(), "SYNCM")).isTrue();
        assertThat(owners.addressedTo(dressingTask(), "SYNAC"))
                .as("another organisation")
                .isFalse();
        assertThat(owners.requestedBy(dressingTask(), "SYNG09")).isTrue();
        assertThat(owners.requestedBy(dressingTask(), "SYNCM")).isFalse();
    }

    @Test
    void theOwnerChangingWhatWasAskedOrReassigningItIsNot() {
        Task rewritten = dressingTask().copy();
        rewritten.setDescription("Nothing needed");
        Task reassigned = dressingTask().copy();
        reassigned.setOwner(new Reference("Organization/SYNAC"));

        assertThat(owners.workflowOnly(dressingTask(), rewritten)).isFalse();
        assertThat(owners.workflowOnly(dressingTask(), reassigned)).isFalse();
    }

    @Test
    void anOwnerNamedByItsOdsIdentifierIsTheOwnerToo() {
        Task byIdentifier = dressingTask().copy();
        byIdentifier.setOwner(new Reference()
                .setIdentifier(new Identifier()
                        .setSystem(org.ldrtestbed.fhirserver.directory.DirectoryResources.ODS_ORGANISATION)
                        .setValue("SYNCM")));
        Task done = byIdentifier.copy();
        done.setStatus(Task.TaskStatus.COMPLETED);

        assertThat(owners.addressedTo(byIdentifier, "SYNCM")).isTrue();
        assertThat(owners.workflowOnly(byIdentifier, done)).isTrue();
    }

    @Test
    void aTypeThePolicyNamesNoOwnerChangesForIsNever() {
        OwnerChanges none = new OwnerChanges(FhirContext.forR4Cached(), Map.of());
        Task done = dressingTask().copy();
        done.setStatus(Task.TaskStatus.COMPLETED);
        assertThat(none.governs(dressingTask())).isFalse();
        assertThat(none.addressedTo(dressingTask(), "SYNCM")).isFalse();
        assertThat(none.workflowOnly(dressingTask(), done)).isFalse();
    }
}
