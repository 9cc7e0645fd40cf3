package org.ldrtestbed.scenarios.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per kind of mistake the check finds without booting, each placed at its exact line and column. */
class JourneyCheckerTest {

    private static final JourneyChecker CHECKER = new JourneyChecker();
    private static final Path FILE = Path.of("my.journey.yaml");

    /** A small journey that passes; each test breaks one line of it. Line numbers are 1-based, as printed. */
    private static final List<String> FIT = List.of(
            "journey: check-fixture", // 1
            "format: 1",
            "title: A small journey the check passes",
            "start: \"2026-03-02T09:00:00Z\"",
            "subject: {label: patient, nhs-number: \"9990000018\"}", // 5
            "steps:",
            "  - id: gp-records",
            "    title: The GP records a problem",
            "    at: PT0M",
            "    actor: {role: gp, organisation: SYNG09}", // 10
            "    does:",
            "      - write:",
            "          resources:",
            "            - label: patient",
            "              resource:", // 15
            "                resourceType: Patient",
            "                identifier: [{system: https://fhir.nhs.uk/Id/nhs-number, value: \"{{patient.nhs-number}}\"}]",
            "            - label: copd",
            "              resource:",
            "                resourceType: Condition", // 20
            "                subject: {reference: \"{{patient}}\"}",
            "                code: {text: COPD}",
            "                note: [{text: Lives with his wife}]",
            "  - id: gp-sees",
            "    title: The GP sees the problem", // 25
            "    at: PT5M",
            "    actor: {role: gp, organisation: SYNG09}",
            "    sees:",
            "      - id: gp-sees-copd",
            "        title: COPD is in the record", // 30
            "        capabilities: [context]",
            "        query: \"Condition?patient={{patient}}&code:text=COPD\"",
            "        where: \"code.text = 'COPD'\"",
            "        expect: {count: 1}");

    private static String with(int line, String text) {
        List<String> lines = new java.util.ArrayList<>(FIT);
        lines.set(line - 1, text);
        return String.join("\n", lines) + "\n";
    }

    private static String inserted(int afterLine, String... text) {
        List<String> lines = new java.util.ArrayList<>(FIT);
        lines.addAll(afterLine, List.of(text));
        return String.join("\n", lines) + "\n";
    }

    private static List<Problem> check(String text) {
        return CHECKER.check(FILE, text);
    }

    @Test
    void theUnbrokenJourneyPasses() {
        assertThat(check(String.join("\n", FIT) + "\n")).isEmpty();
    }

    @Test
    void textCutAtACommaIsFoundWhereYamlCutIt() {
        List<Problem> problems =
                check(with(23, "                note: [{text: Lives with his wife, who is his carer}]"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(23);
            assertThat(p.column()).isEqualTo(52);
            assertThat(p.field()).isEqualTo("steps[0].does[0].write.resources[1].resource.note[0].text");
            assertThat(p.message())
                    .contains("'who is his carer'")
                    .contains("\"Lives with his wife, who is his carer\"");
        });
    }

    @Test
    void textThatReadsOnAcrossACommaInAListIsFoundToo() {
        List<Problem> problems = check(inserted(16, "                name: [{given: [Dorothy May, known as Dot]}]"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(17);
            assertThat(p.column()).isEqualTo(46);
            assertThat(p.field()).isEqualTo("steps[0].does[0].write.resources[0].resource.name[0].given[1]");
            assertThat(p.message()).contains("\"Dorothy May, known as Dot\"");
        });
        assertThat(check(inserted(16, "                name: [{given: [\"Dorothy May\", \"known as Dot\"]}]")))
                .isEmpty();
    }

    @Test
    void aKeyGivenTwiceIsRefusedAtTheSecond() {
        List<Problem> problems = check(with(22, "                subject: {reference: \"{{patient}}\"}"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.toString())
                    .startsWith("my.journey.yaml:22:17: steps[0].does[0].write.resources[1].resource.subject: ");
            assertThat(p.message()).contains("given twice").contains("line 21");
        });
    }

    @Test
    void anUnknownFlowIsNamedWithTheNearestCode() {
        List<Problem> problems = check(inserted(31, "        flows: [gp-summary, e-referal]", "        wait: PT30S"));

        assertThat(problems).anySatisfy(p -> {
            assertThat(p.toString())
                    .isEqualTo("my.journey.yaml:32:29: steps[1].sees[0].flows[1]: no flow 'e-referal' in the flow"
                            + " catalogue; did you mean 'e-referral'? (testbed flows lists them)");
        });
    }

    @Test
    void aMessageItsFlowDoesNotStartOnIsFound() {
        List<Problem> problems = check(inserted(
                34,
                "    does:",
                "      - send-hl7v2:",
                "          flow: adt-notification",
                "          message: \"MSH|^~\\\\&|PAS|SYNAC|LDR|SYNMX|{{hl7:now}}||ADT^A08^ADT_A01|A08-{{run}}|P|2.4\"",
                "      - send-document:",
                "          flow: e-referral",
                "          composition: {resourceType: Composition}",
                "          resources: []",
                "      - send-document:",
                "          flow: discharge-summary",
                "          composition: {resourceType: Composition}",
                "          resources: []"));

        assertThat(problems)
                .extracting(Problem::toString)
                .contains(
                        "my.journey.yaml:38:64: steps[1].does[0].send-hl7v2.message: flow 'adt-notification' starts on"
                                + " ADT^A01, ADT^A02, ADT^A03, not on ADT^A08 (MSH-9)",
                        "my.journey.yaml:40:11: steps[1].does[1].send-document.flow: flow 'e-referral' is not started"
                                + " by a document (it starts on a write of ServiceRequest)");
        assertThat(problems)
                .anySatisfy(p -> assertThat(p.toString())
                        .startsWith("my.journey.yaml:44:11: steps[1].does[2].send-document.flow: flow"
                                + " 'discharge-summary' carries documents from ")
                        .endsWith("and SYNG09 is primary-care: the document would start nothing"));
    }

    @Test
    void anUnknownRoleIsNamedWithTheNearestOne() {
        List<Problem> problems = check(with(27, "    actor: {role: gpp, organisation: SYNG09}"));

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly("my.journey.yaml:27:13: steps[1].actor.role: no role 'gpp' in the realm; did you mean"
                        + " 'gp'?");
    }

    @Test
    void anUnknownOrganisationIsNamedWithTheNearestOne() {
        List<Problem> problems = check(with(10, "    actor: {role: gp, organisation: SYNG9}"));

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly("my.journey.yaml:10:23: steps[0].actor.organisation: no organisation 'SYNG9' in the"
                        + " directory; did you mean 'SYNG09'?");
    }

    @Test
    void aRoleNoOneHoldsAtTheOrganisationIsFound() {
        List<Problem> problems = check(with(27, "    actor: {role: paramedic, organisation: SYNG09}"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(27);
            assertThat(p.column()).isEqualTo(5);
            assertThat(p.message()).isEqualTo("no user is paramedic @ SYNG09 (paramedic is held at SYNAM)");
        });
    }

    @Test
    void aLabelUsedBeforeItIsWrittenIsFound() {
        List<Problem> problems = check(inserted(
                10,
                "    sees:",
                "      - id: gp-sees-too-early",
                "        title: Not yet written",
                "        capabilities: [context]",
                "        query: \"Condition?_id={{ref:copd}}\"",
                "        expect: {count: 1}"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.toString())
                    .startsWith("my.journey.yaml:15:31: steps[0].sees[0].query: 'copd' is used before it is written"
                            + " (labelled at line 24");
            assertThat(p.message()).contains("a step's sees are checked before its does");
        });
    }

    @Test
    void aLabelNeverWrittenIsNamedWithTheNearestOne() {
        List<Problem> problems = check(with(33, "        where: \"subject.reference = '{{ref:cpd}}'\""));

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly("my.journey.yaml:33:38: steps[1].sees[0].where: no entry is labelled 'cpd' in this"
                        + " journey; did you mean 'copd'?");
    }

    @Test
    void anUnknownTemplateOrDirectoryCodeIsFound() {
        List<Problem> problems = check(inserted(
                22,
                "                recorder: {reference: \"{{practitioner:900000000999}}\"}",
                "                asserter: {reference: \"{{actor.practitionr}}\"}"));

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly(
                        "my.journey.yaml:23:40: steps[0].does[0].write.resources[1].resource.recorder.reference:"
                                + " {{practitioner:900000000999}}: no practitioner '900000000999' in the directory;"
                                + " did you mean '900000000109'?",
                        "my.journey.yaml:24:40: steps[0].does[0].write.resources[1].resource.asserter.reference:"
                                + " unknown template {{actor.practitionr}}; did you mean 'actor.practitioner'?");
    }

    @Test
    void aLabelWrittenTwiceIsFound() {
        List<Problem> problems = check(with(18, "            - label: patient"));

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly("my.journey.yaml:18:15: steps[0].does[0].write.resources[1].label: label 'patient' is"
                        + " written twice (first at line 14)");
    }

    @Test
    void aTimeTemplateThatIsNoDurationIsFound() {
        List<Problem> problems = check(inserted(22, "                recordedDate: \"{{now-P1M}}\""));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.toString()).startsWith("my.journey.yaml:23:32: ");
            assertThat(p.message()).contains("'P1M' in {{now-P1M}} is not an ISO-8601 duration");
        });
    }

    @Test
    void anUnknownSearchParameterIsFoundInTheQuery() {
        List<Problem> problems = check(with(32, "        query: \"Condition?patient={{patient}}&cod:text=COPD\""));

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly("my.journey.yaml:32:47: steps[1].sees[0].query: 'cod' is not a search parameter of"
                        + " Condition; did you mean 'code'?");
    }

    @Test
    void anUnknownSearchModifierIsFound() {
        List<Problem> problems = check(with(32, "        query: \"Condition?patient={{patient}}&code:txt=COPD\""));

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly("my.journey.yaml:32:47: steps[1].sees[0].query: ':txt' is not a search modifier; did"
                        + " you mean 'text'?");
        assertThat(check(with(
                        32, "        query: \"Condition?subject:Patient.identifier=x&_include=Condition:subject\"")))
                .isEmpty();
    }

    @Test
    void theTestbedsOwnAuditEventSearchIsCheckedAgainstWhatItServes() {
        // An AuditEvent has no code: its where is on what it has (the where's names are checked against the type).
        java.util.function.UnaryOperator<String> onAgent = t -> t.replace("code.text = 'COPD'", "agent.exists()");
        assertThat(check(onAgent.apply(with(32, "        query: \"AuditEvent?patient={{patient}}&altid=gp.ashdown\""))))
                .isEmpty();
        assertThat(check(
                        onAgent.apply(with(32, "        query: \"AuditEvent?patient={{patient}}&date=ge2026-01-01\""))))
                .extracting(Problem::message)
                .containsExactly("'date' is not a search parameter of the testbed's AuditEvent search");
    }

    @Test
    void badFhirPathIsFound() {
        List<Problem> problems = check(with(33, "        where: \"code.text = 'COPD\""));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.toString()).startsWith("my.journey.yaml:33:16: steps[1].sees[0].where: not valid FHIRPath: ");
            assertThat(p.message()).contains("Unterminated string");
        });
    }

    @Test
    void anElementFhirDoesNotDefineIsFoundAtItsField() {
        List<Problem> problems = check(inserted(22, "                onsetDate: \"2020-01-01\""));

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly("my.journey.yaml:23:17: steps[0].does[0].write.resources[1].resource.onsetDate:"
                        + " unknown element 'onsetDate': FHIR R4 has no such field");
    }

    @Test
    void aValueOfTheWrongFormIsFoundAtItsField() {
        List<Problem> problems = check(inserted(22, "                recordedDate: \"last Tuesday\""));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(23);
            assertThat(p.column()).isEqualTo(17);
            assertThat(p.message()).contains("invalid value 'last Tuesday'");
        });
    }

    @Test
    void aYamlSyntaxErrorIsPlacedAtTheParsersMark() {
        List<Problem> problems = check(with(25, "    title: The GP: sees the problem"));

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly("my.journey.yaml:25:18: (yaml): not valid YAML: mapping values are not allowed here;"
                        + " usually an unquoted ': ' inside a text (quote the text), or this line or the one above it"
                        + " indented wrongly");
    }

    @Test
    void aResourceElementIndentedTooLittleIsSaidToBeSo() {
        List<Problem> problems = check(inserted(23, "              clinicalStatus: {text: active}"));

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly("my.journey.yaml:24:15: steps[0].does[0].write.resources[1].clinicalStatus: property"
                        + " 'clinicalStatus' is not defined in the schema and the schema does not allow additional"
                        + " properties; 'clinicalStatus' is an element of Condition: indent it under resource");
    }

    @Test
    void aFileThatIsNoMappingIsOneProblem() {
        assertThat(check(""))
                .extracting(Problem::toString)
                .containsExactly("my.journey.yaml:1:1: (journey): a journey file must be a YAML mapping");
        assertThat(check("- just\n- a list\n"))
                .extracting(Problem::toString)
                .containsExactly("my.journey.yaml:1:1: (journey): a journey file must be a YAML mapping");
    }

    @Test
    void aSchemaViolationIsPlacedAtItsField() {
        List<Problem> problems = check(with(9, "    att: PT0M"));

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly(
                        "my.journey.yaml:7:5: steps[0].at: required property 'at' not found",
                        "my.journey.yaml:9:5: steps[0].att: property 'att' is not defined in the schema and the schema"
                                + " does not allow additional properties; did you mean 'at'?");
    }

    @Test
    void thePeopleOfAJourneyAreActorsToo() {
        String people = String.join(
                "\n", "people:", "  professionals:", "    - {user: gp.journeyown, role: gp, organisation: SYNAC}");
        String text = with(27, "    actor: {role: gp, organisation: SYNAC, user: gp.journeyown}");
        text = text.replace("steps:\n", people + "\nsteps:\n");

        assertThat(check(text)).isEmpty();
        assertThat(check(text.replace("user: gp.journeyown}", "user: gp.someoneelse}")))
                .extracting(Problem::field)
                .containsExactly("steps[1].actor.user");
    }
}
