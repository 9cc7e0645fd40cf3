package org.ldrtestbed.scenarios.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.RunSwitches.Rule;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;

class DeploymentLoaderTest {

    private static final FlowCatalogue CATALOGUE = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);

    private final Deployments deployments = new Deployments();

    @Test
    void theShippedProfilesLoadAndAreNamedAsTheirFiles() {
        assertThat(deployments.all()).extracting(DeploymentProfile::name).contains("full", "oxfordshire-2017-07");
        assertThat(deployments.all())
                .allSatisfy(p -> assertThat(p.file()).endsWith("deployments/" + p.name() + ".deployment.yaml"));
    }

    @Test
    void fullHasEveryFlowLiveForEverySender() {
        DeploymentProfile full = deployments.find("full").orElseThrow();
        assertThat(CATALOGUE.flows())
                .allSatisfy(f -> assertThat(full.statusOf(f).live()).isTrue());
        assertThat(full.rules(CATALOGUE)).isEmpty();
    }

    @Test
    void oxfordshire2017HasTheRoadmapsStatuses() {
        DeploymentProfile july2017 = deployments.find("oxfordshire-2017-07").orElseThrow();

        assertThat(july2017.statusOf(flow("gp-summary"))).satisfies(s -> {
            assertThat(s.live()).isTrue();
            assertThat(s.by()).isEqualTo("shared care record");
        });
        assertThat(july2017.statusOf(flow("patient-online-access")).note()).isEqualTo("little used");
        assertThat(july2017.statusOf(flow("e-referral")).by()).contains("e-Referral");
        assertThat(july2017.statusOf(flow("social-care-notice")).status()).isEqualTo(DeploymentProfile.PLANNED);
        assertThat(july2017.statusOf(flow("cp-is-plan-upload"))).satisfies(s -> {
            assertThat(s.status()).isEqualTo(DeploymentProfile.PLANNED);
            assertThat(s.planned()).isEqualTo("2018-03");
            assertThat(s.note()).contains("county council");
        });
        assertThat(july2017.statusOf(flow("eps-prescription")).by()).isEqualTo("national EPS");
        // e: live for the acute trust and the community wards, absent for the mental-health site and its wards.
        SharingFlow summary = flow("discharge-summary");
        assertThat(july2017.statusOf(summary, "SYNAC", List.of()).availability().live())
                .isTrue();
        assertThat(july2017.statusOf(summary, "SYNCM", List.of("SYNCM01-WARD"))
                        .availability()
                        .live())
                .isTrue();
        assertThat(july2017.statusOf(summary, "SYNCM", List.of("SYNCM03-CEDAR")))
                .satisfies(r -> {
                    assertThat(r.availability().status()).isEqualTo(DeploymentProfile.ABSENT);
                    assertThat(r.service()).isEqualTo("SYNCM03");
                });
        assertThat(july2017.rules(CATALOGUE))
                .contains(
                        new Rule("discharge-summary", null, Set.of(), true),
                        new Rule("discharge-summary", "SYNCM", Set.of("SYNCM03", "SYNCM03-CEDAR"), false),
                        new Rule("social-care-notice", null, Set.of(), false));
        assertThat(july2017.offForEverySender(flow("social-care-notice"))).isTrue();
        assertThat(july2017.offForEverySender(summary)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bad-status            | 7 | capabilities.e.status                 | does not have a value in the enumeration",
                "unknown-capability    | 6 | capabilities.k                        | k",
                "unknown-flow          | 7 | flows.carrier-pigeon                  | no flow 'carrier-pigeon' in the flow catalogue",
                "unknown-organisation  | 9 | capabilities.e.senders[0].organisation | no organisation SYNZZ in the care-system directory",
                "service-of-another-organisation | 10 | capabilities.e.senders[0].service | no site or unit SYNCM03 of SYNAC",
                "live-without-by       | 5 | capabilities.i.by                     | by",
            })
    void aBadProfileIsRefusedNamingFileLineAndField(String name, int line, String field, String message) {
        Path file = Path.of("src/test/resources/bad-deployments/" + name + ".deployment.yaml");
        assertThatThrownBy(() -> new DeploymentLoader().load(file))
                .isInstanceOfSatisfying(
                        JourneyFormatException.class,
                        e -> assertThat(e.problems()).anySatisfy(p -> {
                            assertThat(p.file()).isEqualTo(file.toString());
                            assertThat(p.line()).isEqualTo(line);
                            assertThat(p.field()).isEqualTo(field);
                            assertThat(p.message()).contains(message);
                        }));
    }

    @Test
    void anUnknownNameIsNotFound() {
        assertThat(deployments.find("atlantis-2030")).isEmpty();
    }

    private static SharingFlow flow(String code) {
        return CATALOGUE.flow(code).orElseThrow();
    }
}
