package org.ldrtestbed.scenarios.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The loader's reading of update, patch, read by id, refused writes and recorded-at. */
class JourneyLoaderChangeActionsTest {

    private static final String HEADER = """
            journey: sample
            format: 1
            title: Sample
            start: 2026-03-02T09:00:00Z
            subject: {label: patient, nhs-number: "9990000018"}
            steps:
              - id: gp
                title: GP acts
                at: PT0M
                actor: {role: gp, organisation: SYNG09}
            """;

    private final JourneyLoader loader = new JourneyLoader();

    @Test
    void readsUpdatePatchRefusalsRecordedAtAndReadsById() {
        Journey journey = loader.load("sample.journey.yaml", HEADER + """
                    sees:
                      - id: gp-reads-task
                        title: the task
                        capabilities: [context]
                        query: "{{ref:task}}"
                        expect: {count: 1}
                    does:
                      - write:
                          resources:
                            - label: task
                              recorded-at: -PT40M
                              resource: {resourceType: Task, status: requested, intent: order}
                      - update:
                          label: task
                          resource: {resourceType: Task, status: completed, intent: order}
                      - patch:
                          label: task
                          operations: [{op: replace, path: /status, value: cancelled}]
                          expect: {refused: not-writer, id: gp-may-not, capabilities: [governance]}
                """);

        Step step = journey.steps().getFirst();
        assertThat(((Step.Write) step.does().get(0)).resources().getFirst().recordedAt())
                .isEqualTo(Duration.ofMinutes(-40));
        assertThat(step.does().get(1)).isInstanceOfSatisfying(Step.Update.class, u -> {
            assertThat(u.label()).isEqualTo("task");
            assertThat(u.title()).isEqualTo("update task");
            assertThat(u.refused()).isNull();
        });
        assertThat(step.does().get(2)).isInstanceOfSatisfying(Step.Patch.class, p -> {
            assertThat(p.operations()).hasSize(1);
            assertThat(p.refused().reason()).isEqualTo("not-writer");
        });
        assertThat(step.refusals()).extracting(Step.Refusal::id).containsExactly("gp-may-not");
    }

    @Test
    void aRefusalIsAnAssertionItsIdUniqueAndItsTagsHonest() {
        assertThatThrownBy(() -> loader.load("dup.journey.yaml", HEADER + """
                    sees:
                      - id: same
                        title: something
                        capabilities: [context]
                        query: Condition?patient={{patient}}
                        expect: {min: 0}
                    does:
                      - write:
                          resources: [{resource: {resourceType: Condition}}]
                          expect: {refused: role, id: same, capabilities: [governance]}
                """))
                .hasMessageContaining("dup.journey.yaml:20: steps[0].does[0].write.expect.id")
                .hasMessageContaining("assertion id 'same' is used twice");
        // A policy's refusal does not depend on a flow: it is governance, never a capability's evidence.
        assertThatThrownBy(() -> loader.load("policy.journey.yaml", HEADER + """
                    does:
                      - write:
                          resources: [{resource: {resourceType: Condition}}]
                          expect: {refused: role, id: r, capabilities: [a]}
                """))
                .hasMessageContaining("steps[0].does[0].write.expect.capabilities")
                .hasMessageContaining("tag it governance");
        assertThatThrownBy(() -> loader.load("flow.journey.yaml", HEADER + """
                    does:
                      - write:
                          resources: [{resource: {resourceType: CarePlan}}]
                          expect: {refused: flow, id: r, capabilities: [h]}
                """))
                .hasMessageContaining("steps[0].does[0].write.expect.flows")
                .hasMessageContaining("names the flow that refuses the write");
        assertThat(loader.load("flow.journey.yaml", HEADER + """
                            does:
                              - write:
                                  resources: [{resource: {resourceType: CarePlan}}]
                                  expect: {refused: flow, id: r, capabilities: [h], flows: [eol-pointer]}
                        """.replace("                    ", "            "))
                        .steps()
                        .getFirst()
                        .refusals())
                .singleElement()
                .satisfies(r -> assertThat(r.flows()).containsExactly("eol-pointer"));
    }

    @Test
    void unknownRefusalReasonAndFieldsAreRefusedByTheSchema() {
        assertThatThrownBy(() -> loader.load("reason.journey.yaml", HEADER + """
                    does:
                      - patch:
                          label: task
                          operations: [{op: replace, path: /status, value: cancelled}]
                          expect: {refused: because, id: r, capabilities: [governance]}
                """))
                .hasMessageContaining("reason.journey.yaml:")
                .hasMessageContaining("refused");
        assertThatThrownBy(() -> loader.load("op.journey.yaml", HEADER + """
                    does:
                      - patch:
                          label: task
                          operations: [{op: replce, path: /status, value: cancelled}]
                """))
                .hasMessageContaining("op.journey.yaml:")
                .hasMessageContaining("op");
    }
}
