package org.ldrtestbed.scenarios.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.contract.NhsNumber;

/** The shipped county drawn from fixed seeds: reproducible, and its figures recovered from the residents drawn. */
class CountyGeneratorTest {

    private static final County OXFORDSHIRE = new CountyLoader().loadResource(CountyLoader.OXFORDSHIRE);
    private static final CountyGenerator GENERATOR = new CountyGenerator(OXFORDSHIRE);

    @Test
    void theSameSeedGivesTheSamePopulationAndAnotherSeedAnother() {
        Population first = GENERATOR.generate(2_000, 30, 1);
        Population again = GENERATOR.generate(2_000, 30, 1);
        Population other = GENERATOR.generate(2_000, 30, 2);

        assertThat(again).isEqualTo(first);
        assertThat(other.residents()).isNotEqualTo(first.residents());
    }

    @Test
    void aResidentIsTheSameWhateverTheSizeOfThePopulation() {
        List<Resident> small = GENERATOR.generate(100, 0, 9).residents();
        List<Resident> large = GENERATOR.generate(5_000, 0, 9).residents();
        assertThat(large.subList(0, 100)).isEqualTo(small);
    }

    @Test
    void residentsSpreadOverTheLocalitiesAndPracticesAsTheCountySays() {
        List<Resident> residents = GENERATOR.generate(20_000, 0, 3).residents();
        Map<String, Long> byLocality = count(residents, Resident::locality);
        for (County.Locality locality : OXFORDSHIRE.localities()) {
            assertThat(byLocality.get(locality.name()) / 20_000.0)
                    .as(locality.name())
                    .isCloseTo(locality.share(), within(0.01));
            long inLocality = byLocality.get(locality.name());
            Map<String, Long> byPractice = count(
                    residents.stream()
                            .filter(r -> r.locality().equals(locality.name()))
                            .toList(),
                    Resident::practice);
            for (County.Practice practice : locality.practices()) {
                assertThat(byPractice.get(practice.ods()) / (double) inLocality)
                        .as(practice.ods())
                        .isCloseTo(practice.share(), within(0.04));
            }
        }
    }

    @Test
    void agesFollowTheBandsAndLivingAloneItsShareByBand() {
        List<Resident> residents = GENERATOR.generate(20_000, 0, 4).residents();
        Map<String, Long> byBand = count(residents, Resident::ageBand);
        for (County.AgeBand band : OXFORDSHIRE.ageBands()) {
            assertThat(byBand.get(band.band()) / 20_000.0).as(band.band()).isCloseTo(band.share(), within(0.01));
            List<Resident> in = residents.stream()
                    .filter(r -> r.ageBand().equals(band.band()))
                    .toList();
            assertThat(in).allMatch(r -> r.age() >= band.from() && r.age() <= band.to());
            double alone = in.stream().filter(Resident::livesAlone).count() / (double) in.size();
            assertThat(alone).as("living alone in " + band.band()).isCloseTo(band.livesAlone(), within(0.07));
        }
    }

    /** 100,000 residents: about 1,400 with COPD, so the overall share is known to about ±0.1 percentage point. */
    @Test
    void copdPrevalenceIsTheCountysByAgeBand() {
        List<Resident> residents = GENERATOR.generate(100_000, 0, 5).residents();
        Map<String, Double> prevalence = OXFORDSHIRE.conditions().get("copd");
        double expected = OXFORDSHIRE.ageBands().stream()
                .mapToDouble(b -> b.share() * prevalence.get(b.band()))
                .sum();
        double observed =
                residents.stream().filter(r -> r.conditions().contains("copd")).count() / 100_000.0;

        assertThat(expected).isCloseTo(0.014, within(0.001));
        assertThat(observed).isCloseTo(expected, within(0.0012));
        assertThat(residents)
                .filteredOn(r -> r.ageBand().equals("0-17"))
                .noneMatch(r -> r.conditions().contains("copd"));
    }

    @Test
    void nhsNumbersAreValidUniqueAndInTheTestRangeAboveTheHandWrittenJourneys() {
        List<Resident> residents = GENERATOR.generate(100_000, 0, 6).residents();
        Set<String> numbers = new HashSet<>();
        for (Resident r : residents) {
            assertThat(NhsNumber.isValid(r.nhsNumber())).as(r.nhsNumber()).isTrue();
            assertThat(r.nhsNumber()).startsWith("999");
            assertThat(Long.parseLong(r.nhsNumber())).isGreaterThanOrEqualTo(9_991_000_000L);
            numbers.add(r.nhsNumber());
        }
        assertThat(numbers).hasSize(residents.size());
    }

    @Test
    void theTestRangeHoldsTheLargestPopulationAllowedAndNoMore() {
        List<Resident> residents =
                GENERATOR.generate(CountyGenerator.MAX_RESIDENTS, 0, 1).residents();
        assertThat(residents.stream().map(Resident::nhsNumber).distinct().count())
                .isEqualTo(CountyGenerator.MAX_RESIDENTS);
        assertThat(residents.getLast().nhsNumber()).startsWith("9999");
        assertThatThrownBy(() -> GENERATOR.generate(CountyGenerator.MAX_RESIDENTS + 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the 999 test range");
    }

    /**
     * Events are a Poisson process at the county's rate, only for residents with the template's condition: over a
     * year, e.g. about 0.12 exacerbations per person with COPD.
     */
    @Test
    void eventsComeAtTheCountysRateOnlyToResidentsWithTheCondition() {
        Population population = GENERATOR.generate(100_000, 365, 7);
        assertThat(population.events())
                .allMatch(e -> !e.at().isNegative() && e.at().compareTo(Duration.ofDays(365)) < 0)
                .isSortedAccordingTo(Comparator.comparing(TemplateEvent::at));
        for (County.EventRate rate : OXFORDSHIRE.events()) {
            List<TemplateEvent> events = population.events().stream()
                    .filter(e -> e.template().equals(rate.template()))
                    .toList();
            long withCondition =
                    population.residents().stream().filter(rate::appliesTo).count();
            assertThat(events)
                    .as(rate.template())
                    .allMatch(e -> rate.appliesTo(population.residents().get(e.resident())));
            double observed = events.size() / (withCondition * 365 / 365.25);
            // At least about 170 events each: a Poisson count's standard error is at most about 8% of it.
            assertThat(events.size()).as(rate.template()).isGreaterThan(150);
            assertThat(observed)
                    .as(rate.template())
                    .isCloseTo(rate.perPersonYear(), within(rate.perPersonYear() * 0.25));
        }
    }

    @Test
    void everyConditionsPrevalenceIsTheCountysByAgeBand() {
        List<Resident> residents = GENERATOR.generate(100_000, 0, 5).residents();
        for (Map.Entry<String, Map<String, Double>> condition :
                OXFORDSHIRE.conditions().entrySet()) {
            for (County.AgeBand band : OXFORDSHIRE.ageBands()) {
                List<Resident> in = residents.stream()
                        .filter(r -> r.ageBand().equals(band.band()))
                        .toList();
                double p = condition.getValue().get(band.band());
                double observed = in.stream()
                                .filter(r -> r.conditions().contains(condition.getKey()))
                                .count()
                        / (double) in.size();
                // Four standard errors of a share p over the band's residents, at least 0.002.
                double tolerance = Math.max(0.002, 4 * Math.sqrt(p * (1 - p) / in.size()));
                assertThat(observed)
                        .as(condition.getKey() + " in " + band.band())
                        .isCloseTo(p, within(tolerance));
            }
        }
    }

    @Test
    void anEventExpandsIntoTheSameJourneyEachTimeAtTheResidentsPractice() {
        TemplateLoader loader = new TemplateLoader();
        Map<String, JourneyTemplate> templates = OXFORDSHIRE.events().stream()
                .collect(Collectors.toMap(
                        County.EventRate::template, e -> loader.loadResource(TemplateLoader.location(e.template()))));
        Population population = GENERATOR.generate(20_000, 90, 8);
        assertThat(population.events()).extracting(TemplateEvent::template).containsAll(templates.keySet());
        for (TemplateEvent event : population.events()) {
            JourneyTemplate template = templates.get(event.template());
            ExpandedJourney journey = population.journey(event, template);
            assertThat(population.journey(event, template).render()).isEqualTo(journey.render());
            assertThat(journey.visits().getLast().organisation())
                    .contains(population.residents().get(event.resident()).practice());
        }
        TemplateEvent first = population.events().getFirst();
        assertThatThrownBy(() -> population.journey(
                        first,
                        templates.values().stream()
                                .filter(t -> !t.id().equals(first.template()))
                                .findFirst()
                                .orElseThrow()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Event is of template " + first.template());
    }

    private static <K> Map<K, Long> count(List<Resident> residents, Function<Resident, K> key) {
        return residents.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }
}
