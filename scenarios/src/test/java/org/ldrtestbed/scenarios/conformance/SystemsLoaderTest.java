package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;

class SystemsLoaderTest {

    private final SystemsLoader loader = new SystemsLoader();

    @Test
    void theShippedExampleBindsDotsGpPracticeAndTheAcutePas() {
        SystemsFile file = loader.find("dot-reference").orElseThrow();
        assertThat(file.journeys()).containsExactly("dot");
        assertThat(file.systems())
                .extracting(SystemsFile.SystemBinding::organisation)
                .containsExactly("SYNG09", "SYNAC");
        List<SystemUnderTest> bindings = file.systems().stream()
                .flatMap(
                        s -> s
                                .at(new SystemsFile.Endpoint("http://127.0.0.1:1/fhir", "127.0.0.1:2", null))
                                .runBindings()
                                .stream())
                .toList();
        assertThat(bindings)
                .extracting(SystemUnderTest::flow, SystemUnderTest::direction, SystemUnderTest::transport)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "discharge-summary", SystemUnderTest.Direction.RECEIVES, SystemUnderTest.FHIR_REST),
                        org.assertj.core.groups.Tuple.tuple(
                                "adt-notification", SystemUnderTest.Direction.RECEIVES, SystemUnderTest.MLLP),
                        org.assertj.core.groups.Tuple.tuple(
                                "gp-summary", SystemUnderTest.Direction.SENDS, SystemUnderTest.GPC_STRUCTURED_RECORD),
                        org.assertj.core.groups.Tuple.tuple(
                                "adt-notification", SystemUnderTest.Direction.SENDS, SystemUnderTest.MLLP));
        assertThat(bindings)
                .filteredOn(b -> b.transport().equals(SystemUnderTest.MLLP)
                        && b.direction() == SystemUnderTest.Direction.RECEIVES)
                .singleElement()
                .satisfies(b -> assertThat(b.endpoint()).isEqualTo("127.0.0.1:2"));
    }

    @Test
    void aFieldTheSchemaDoesNotKnowIsNamedWithItsLine() {
        assertThat(problems("""
                systems-file: mine
                format: 1
                title: Mine
                systems:
                  - name: my-gp
                    organisation: SYNG09
                    recieves:
                      - {flow: discharge-summary, transport: fhir-rest}
                """))
                .anySatisfy(p -> assertThat(p).startsWith("my.systems.yaml:7:").contains("recieves"));
    }

    @Test
    void anOrganisationOutsideTheDirectoryIsRefused() {
        assertThat(problems(gp("SYNZZ99", "discharge-summary", "fhir-rest", "endpoint: {fhir-base: http://h/fhir}")))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("my.systems.yaml:6:").contains("no organisation SYNZZ99"));
    }

    @Test
    void aFlowThatDoesNotReachTheOrganisationsSettingIsRefused() {
        // The acute trust does not receive discharge summaries: GP practices do.
        assertThat(problems(gp("SYNAC", "discharge-summary", "fhir-rest", "endpoint: {fhir-base: http://h/fhir}")))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("my.systems.yaml:8:").contains("SYNAC is acute"));
    }

    @Test
    void aTransportTheFlowIsNotCarriedOverIsRefused() {
        assertThat(problems(gp("SYNG09", "discharge-summary", "mllp", "endpoint: {mllp: h:2575}")))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("my.systems.yaml:8:").contains("not mllp"));
    }

    @Test
    void aReceiverWithNowhereToDeliverToIsRefused() {
        assertThat(problems(gp("SYNG09", "discharge-summary", "fhir-rest", "title: no endpoint")))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("needs endpoint.fhir-base"));
    }

    @Test
    void aGpSystemMayReceiveDischargeSummariesByPollingItsMeshMailbox() {
        SystemsFile file = loader.load(
                "my.systems.yaml",
                gp("SYNG09", "discharge-summary", "mesh", "endpoint: {mailbox: SYNG09-MBX, fhir-base: http://h/fhir}"));

        assertThat(file.systems().getFirst().runBindings()).singleElement().satisfies(b -> {
            assertThat(b.transport()).isEqualTo(SystemUnderTest.MESH);
            assertThat(b.endpoint()).isEqualTo("SYNG09-MBX");
        });
        assertThat(file.systems().getFirst().endpoint().fhirBase()).isEqualTo("http://h/fhir");
        assertThat(problems(gp("SYNG09", "discharge-summary", "mesh", "endpoint: {fhir-base: http://h/fhir}")))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("needs endpoint.mailbox"));
    }

    @Test
    void aFlowNoSystemUnderTestCanYetTakePartInIsRefusedSayingWhichCan() {
        // EPS dispense notifications reach GP practices, but no GP system under test can take them yet.
        assertThat(problems(
                        gp("SYNG09", "eps-dispense-notification", "fhir-rest", "endpoint: {fhir-base: http://h/fhir}")))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .contains("where it receives eps-dispense-notification")
                        .contains("receives adt-notification")
                        .contains("sends adt-notification"));
    }

    @Test
    void aGpSystemReceivesAdtNotificationsOverMllpAtItsListener() {
        SystemsFile file = loader.load("gp.systems.yaml", """
                systems-file: gp
                format: 1
                title: GP
                systems:
                  - name: my-gp
                    organisation: SYNG09
                    receives: [{flow: adt-notification, transport: mllp}]
                    endpoint: {mllp: "gp.example:2575", fhir-base: "http://gp.example/fhir"}
                """);
        assertThat(file.systems().getFirst().runBindings()).singleElement().satisfies(b -> {
            assertThat(b.direction()).isEqualTo(SystemUnderTest.Direction.RECEIVES);
            assertThat(b.endpoint()).isEqualTo("gp.example:2575");
        });
        assertThat(problems(gp("SYNG09", "adt-notification", "mllp", "endpoint: {fhir-base: http://h/fhir}")))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("needs endpoint.mllp"));
    }

    @Test
    void anAmbulanceSystemReceivesBarsReferralsByFhirMessagingAtItsFhirBase() {
        SystemsFile file = loader.load("my.systems.yaml", """
                systems-file: mine
                format: 1
                title: Mine
                systems:
                  - name: my-ambulance
                    organisation: SYNAM
                    receives:
                      - {flow: bars-referral, transport: process-message}
                    endpoint: {fhir-base: "https://ambulance.example/fhir"}
                """);
        SystemsFile reference = loader.load("my.systems.yaml", """
                systems-file: mine
                format: 1
                title: Mine
                systems:
                  - name: reference-ambulance
                    organisation: SYNAM
                    receives:
                      - {flow: bars-referral, transport: process-message}
                    reference: {role: ambulance-service, faulty: wrong-patient}
                """);

        assertThat(file.systems().getFirst().runBindings()).singleElement().satisfies(b -> {
            assertThat(b.transport()).isEqualTo(SystemUnderTest.PROCESS_MESSAGE);
            assertThat(b.endpoint()).isEqualTo("https://ambulance.example/fhir");
        });
        assertThat(reference.systems().getFirst().reference().role()).isEqualTo(ReferenceRoles.AMBULANCE_SERVICE);
        assertThat(problems(gp("SYNAM", "bars-referral", "fhir-rest", "endpoint: {fhir-base: \"https://a/fhir\"}")))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("not fhir-rest"));
    }

    @Test
    void anAcuteEprSendsDischargeSummariesOverFhirRestOrMeshAndCannotBeLate() {
        SystemsFile file = loader.load("my.systems.yaml", """
                systems-file: mine
                format: 1
                title: Mine
                systems:
                  - name: reference-epr
                    organisation: SYNAC
                    sends:
                      - {flow: discharge-summary, transport: fhir-rest}
                    reference: {role: acute-epr, faulty: wrong-patient}
                """);

        assertThat(file.systems().getFirst().runBindings()).singleElement().satisfies(b -> {
            assertThat(b.direction()).isEqualTo(SystemUnderTest.Direction.SENDS);
            assertThat(b.transport()).isEqualTo(SystemUnderTest.FHIR_REST);
            assertThat(b.endpoint()).isNull();
        });
        assertThat(problems("""
                systems-file: mine
                format: 1
                title: Mine
                systems:
                  - name: reference-epr
                    organisation: SYNAC
                    sends:
                      - {flow: discharge-summary, transport: mllp}
                    reference: {role: acute-epr, faulty: late}
                """))
                .anySatisfy(p -> assertThat(p).contains("sends over [fhir-rest, mesh], not mllp"))
                .anySatisfy(p -> assertThat(p).contains("cannot show fault late"));
    }

    @Test
    void aFaultTheReferenceSystemCannotShowIsRefused() {
        assertThat(problems("""
                systems-file: mine
                format: 1
                title: Mine
                systems:
                  - name: my-pas
                    organisation: SYNAC
                    sends:
                      - {flow: adt-notification, transport: mllp}
                    reference: {role: acute-pas, faulty: 5xx}
                """))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("my.systems.yaml:9:").contains("cannot show fault 5xx"));
    }

    @Test
    void aGpSystemTheTestbedPullsTheGpSummaryFromIsReachedAtItsFhirBaseWithItsCredential() {
        SystemsFile file = loader.load("my.systems.yaml", """
                systems-file: mine
                format: 1
                title: Mine
                systems:
                  - name: my-gp
                    organisation: SYNG09
                    sends:
                      - {flow: gp-summary, transport: gpc-structured-record}
                    endpoint: {fhir-base: "https://gp.example/fhir", authorization: Bearer synthetic}
                """);

        assertThat(file.systems().getFirst().runBindings()).singleElement().satisfies(b -> {
            assertThat(b.direction()).isEqualTo(SystemUnderTest.Direction.SENDS);
            assertThat(b.transport()).isEqualTo(SystemUnderTest.GPC_STRUCTURED_RECORD);
            assertThat(b.endpoint()).isEqualTo("https://gp.example/fhir");
            assertThat(b.authorization()).isEqualTo("Bearer synthetic");
        });
    }

    @Test
    void aPulledGpSystemWithoutAFhirBaseIsRefusedNamingTheLine() {
        String withoutBase = """
                systems-file: mine
                format: 1
                title: Mine
                systems:
                  - name: my-gp
                    organisation: SYNG09
                    sends:
                      - {flow: gp-summary, transport: gpc-structured-record}
                    %s
                """;
        assertThat(problems(withoutBase.formatted("title: no endpoint")))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p).startsWith("my.systems.yaml:5:"))
                .anySatisfy(p -> assertThat(p).contains("endpoint"));
        assertThat(problems(withoutBase.formatted("endpoint: {mllp: h:2575}")))
                .isNotEmpty()
                .anySatisfy(p -> assertThat(p).startsWith("my.systems.yaml:").contains("fhir-base"));
        // The contract refuses it too, for a binding made without a systems file.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SystemUnderTest(
                        "my-gp",
                        "gp-summary",
                        "SYNG09",
                        SystemUnderTest.Direction.SENDS,
                        SystemUnderTest.GPC_STRUCTURED_RECORD,
                        null,
                        null))
                .hasMessageContaining("FHIR base");
    }

    @Test
    void theGpSummaryIsPulledNeverDeliveredToAGpSystem() {
        assertThat(problems(
                        gp("SYNG09", "gp-summary", "gpc-structured-record", "endpoint: {fhir-base: http://h/fhir}")))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("my.systems.yaml:8:"));
    }

    private static String gp(String ods, String flow, String transport, String extra) {
        return """
                systems-file: mine
                format: 1
                title: Mine
                systems:
                  - name: my-gp
                    organisation: %s
                    receives:
                      - {flow: %s, transport: %s}
                    %s
                """.formatted(ods, flow, transport, extra);
    }

    @Test
    void twoSystemsMaySplitAnOrganisationsSendingByRoleAndEachSendsOnlyForItsOwn() {
        SystemsFile file = loader.load("my.systems.yaml", pas("[ed-consultant]", "[discharge-nurse]"));
        assertThat(file.systems())
                .extracting(SystemsFile.SystemBinding::roles)
                .containsExactly(List.of("ed-consultant"), List.of("discharge-nurse"));
        SupplierSession session = new SupplierSession(
                file.systems(),
                org.ldrtestbed.routes.contract.FlowCatalogue.load(
                        org.ldrtestbed.routes.contract.FlowCatalogue.DEFAULT_LOCATION),
                new FhirValidation(ca.uhn.fhir.context.FhirContext.forR4Cached()),
                java.time.Duration.ofSeconds(1),
                List.of(),
                java.time.Clock.systemUTC());
        assertThat(session.sender("adt-notification", "SYNAC", "ed-consultant"))
                .hasValueSatisfying(b -> assertThat(b.system()).isEqualTo("ed-system"));
        assertThat(session.sender("adt-notification", "SYNAC", "discharge-nurse"))
                .hasValueSatisfying(b -> assertThat(b.system()).isEqualTo("ward-system"));
        // The pharmacist's steps stay simulated: neither system stands in for that role.
        assertThat(session.sender("adt-notification", "SYNAC", "pharmacist")).isEmpty();
    }

    @Test
    void overlappingRolesOrARoleBesideEveryRoleAreTwoSystemsSendingTheSame() {
        assertThat(problems(pas("[ed-consultant, registrar]", "[registrar]")))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith("my.systems.yaml:13:")
                        .contains("another system already sends adt-notification for SYNAC"));
        assertThat(problems(pas("[ed-consultant]", null)))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("another system already sends adt-notification"));
    }

    @Test
    void aRoleNoOneOfTheOrganisationHoldsIsRefusedNamingItsLineAndTheRolesThereAre() {
        assertThat(problems(pas("[ward-clerk]", "[discharge-nurse]")))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith("my.systems.yaml:7:")
                        .contains("no one of SYNAC holds role ward-clerk")
                        .contains("ed-consultant"));
    }

    @Test
    void rolesOnASystemThatOnlyReceivesAreRefused() {
        assertThat(problems("""
                systems-file: mine
                format: 1
                title: Mine
                systems:
                  - name: my-gp
                    organisation: SYNG09
                    roles: [gp]
                    receives: [{flow: discharge-summary, transport: fhir-rest}]
                    endpoint: {fhir-base: http://h/fhir}
                """))
                .anySatisfy(p -> assertThat(p).startsWith("my.systems.yaml:").contains("sends"));
    }

    /** Two systems of the acute trust sending its ADT, each for the roles given (null: every role). */
    private static String pas(String firstRoles, String secondRoles) {
        return """
                systems-file: mine
                format: 1
                title: Mine
                systems:
                  - name: ed-system
                    organisation: SYNAC
                    roles: %s
                    sends: [{flow: adt-notification, transport: mllp}]
                    reference: {role: acute-pas}
                  - name: ward-system
                    organisation: SYNAC
                %s    sends: [{flow: adt-notification, transport: mllp}]
                    reference: {role: acute-pas}
                """.formatted(firstRoles, secondRoles == null ? "" : "    roles: " + secondRoles + "\n");
    }

    @Test
    void anotherOrganisationsMailboxIsRefused() {
        assertThat(problems(gp("SYNG09", "discharge-summary", "mesh", "endpoint: {mailbox: SYNAC-MBX}")))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith("my.systems.yaml:9:")
                        .contains("receives in mailbox SYNG09-MBX, not SYNAC-MBX"));
    }

    private List<String> problems(String text) {
        try {
            loader.load("my.systems.yaml", text);
        } catch (JourneyFormatException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
        throw new AssertionError("the file was accepted");
    }
}
