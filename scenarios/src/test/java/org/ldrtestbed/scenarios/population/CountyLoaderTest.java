package org.ldrtestbed.scenarios.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;

class CountyLoaderTest {

    private final CountyLoader loader = new CountyLoader();

    private static final String VALID = """
            county: sample
            format: 1
            title: Sample
            residents: {value: 1000, source: assumption}
            localities:
              - name: North
                share: {value: 0.4, source: assumption}
                practices:
                  - {ods: SYNG01, share: {value: 1.0, source: assumption}}
              - name: West
                share: {value: 0.6, source: assumption}
                practices:
                  - {ods: SYNG11, share: {value: 1.0, source: assumption}}
            age-bands:
              - {band: 0-49, from: 0, to: 49, share: {value: 0.7, source: assumption}, lives-alone: {value: 0.1, source: assumption}}
              - {band: 50+, from: 50, to: 100, share: {value: 0.3, source: assumption}, lives-alone: {value: 0.3, source: assumption}}
            conditions:
              copd:
                prevalence:
                  0-49: {value: 0.0, source: assumption}
                  50+: {value: 0.05, source: assumption}
            events:
              - {template: copd-exacerbation, condition: copd, rate-per-person-year: {value: 0.1, source: assumption}}
            """;

    private static String valid(String from, String to) {
        assertThat(VALID).contains(from);
        return VALID.replace(from, to);
    }

    @Test
    void readsAValidCounty() {
        County county = loader.load("sample.county.yaml", VALID);
        assertThat(county.localities()).extracting(County.Locality::name).containsExactly("North", "West");
        assertThat(county.conditions().get("copd")).containsEntry("50+", 0.05);
        assertThat(county.events()).containsExactly(new County.EventRate("copd-exacerbation", "copd", 0.1));
        assertThat(county.events().getFirst().fromAge()).isZero();
    }

    @Test
    void aFigureWithoutItsSourceIsRefusedAtItsLine() {
        String bad = valid("share: {value: 0.6, source: assumption}", "share: {value: 0.6}");
        assertThatThrownBy(() -> loader.load("bad.county.yaml", bad))
                .isInstanceOf(JourneyFormatException.class)
                .hasMessageContaining("bad.county.yaml:11: localities[1].share.source:");
    }

    @Test
    void sharesThatDoNotAddUpToOneAreRefused() {
        String bad = valid("share: {value: 0.6, source: assumption}", "share: {value: 0.5, source: assumption}");
        assertThatThrownBy(() -> loader.load("bad.county.yaml", bad))
                .hasMessageContaining("bad.county.yaml:5: localities: the localities' shares add up to 0.9, not 1");
    }

    @Test
    void ageBandsWithAGapAreRefused() {
        String bad = valid("band: 50+, from: 50", "band: 50+, from: 51");
        assertThatThrownBy(() -> loader.load("bad.county.yaml", bad))
                .hasMessageContaining(
                        "bad.county.yaml:16: age-bands[1].from: bands must be contiguous from 0: expected 50, found 51");
    }

    @Test
    void aConditionMissingABandsPrevalenceIsRefused() {
        String bad = valid("      0-49: {value: 0.0, source: assumption}\n", "");
        assertThatThrownBy(() -> loader.load("bad.county.yaml", bad))
                .hasMessageContaining(
                        "bad.county.yaml:19: conditions.copd.prevalence: no prevalence for age band 0-49");
    }

    @Test
    void anEventForAConditionTheCountyLacksIsRefused() {
        String bad = valid("condition: copd, rate", "condition: asthma, rate");
        assertThatThrownBy(() -> loader.load("bad.county.yaml", bad))
                .hasMessageContaining("bad.county.yaml:23: events[0].condition: the county has no condition asthma");
    }

    @Test
    void anEventMayApplyByAgeAloneAndItsAgesMustBeInOrder() {
        String byAge = valid(
                "{template: copd-exacerbation, condition: copd, rate",
                "{template: copd-exacerbation, ages: {from: 50, to: 60}, rate");
        County.EventRate event = loader.load("ages.county.yaml", byAge).events().getFirst();
        assertThat(event.condition()).isEmpty();
        assertThat(event.appliesTo(resident(49))).isFalse();
        assertThat(event.appliesTo(resident(50))).isTrue();
        assertThat(event.appliesTo(resident(60))).isTrue();
        assertThat(event.appliesTo(resident(61))).isFalse();

        String reversed = valid(
                "{template: copd-exacerbation, condition: copd, rate",
                "{template: copd-exacerbation, ages: {from: 60, to: 50}, rate");
        assertThatThrownBy(() -> loader.load("bad.county.yaml", reversed))
                .hasMessageContaining("bad.county.yaml:23: events[0].ages.to: to 50 is below from 60");
    }

    private static Resident resident(int age) {
        return new Resident(0, "9991000003", age, "50+", "North", "SYNG01", false, java.util.Set.of());
    }

    @Test
    void theShippedCountyCitesASourceForEveryFigureAndStatesItsAssumptions() {
        County county = loader.loadResource(CountyLoader.OXFORDSHIRE);

        assertThat(county.residents()).isEqualTo(691_700);
        assertThat(county.localities()).hasSize(6);
        assertThat(county.events())
                .extracting(County.EventRate::template)
                .containsExactly(
                        "copd-exacerbation",
                        "frailty-fall",
                        "end-of-life",
                        "diabetes-emergency",
                        "child-ed-attendance");
    }

    /** The county invents no organisation: every practice is the directory's, in the locality the directory says. */
    @Test
    void theShippedCountysPracticesAreTheDirectorysInTheirLocalities() throws IOException {
        Map<String, String> directory = directoryPractices();
        County county = loader.loadResource(CountyLoader.OXFORDSHIRE);

        Map<String, String> county_ = new HashMap<>();
        county.localities().forEach(l -> l.practices().forEach(p -> county_.put(p.ods(), l.name())));
        assertThat(county_).isEqualTo(directory);
    }

    /** Practice code → locality, from the server's directory file. */
    private static Map<String, String> directoryPractices() throws IOException {
        try (InputStream in =
                CountyLoaderTest.class.getClassLoader().getResourceAsStream("directory/oxfordshire.yaml")) {
            assertThat(in).as("the fhir-server directory on the classpath").isNotNull();
            JsonNode root = new YAMLMapper().readTree(in);
            return java.util.stream.StreamSupport.stream(
                            root.path("organisations").spliterator(), false)
                    .filter(o -> "primary-care".equals(o.path("setting").asText()))
                    .collect(Collectors.toMap(
                            o -> o.path("ods").asText(), o -> o.path("locality").asText()));
        }
    }
}
