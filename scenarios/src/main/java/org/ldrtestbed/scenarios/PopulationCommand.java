package org.ldrtestbed.scenarios;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ldrtestbed.scenarios.population.County;
import org.ldrtestbed.scenarios.population.CountyGenerator;
import org.ldrtestbed.scenarios.population.CountyLoader;
import org.ldrtestbed.scenarios.population.JourneyTemplate;
import org.ldrtestbed.scenarios.population.Population;
import org.ldrtestbed.scenarios.population.PopulationSummary;
import org.ldrtestbed.scenarios.population.TemplateLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code testbed population}: draws the synthetic county and prints counts. Generation only; replay not yet. */
@Command(
        name = "population",
        mixinStandardHelpOptions = true,
        description = "Generation only; replay not yet (issue #14). Draws N synthetic residents of the county"
                + " (population/oxfordshire.county.yaml) and their template events over D days from a seed, expands"
                + " each event's journey, and prints counts: residents per locality, with each condition, events per"
                + " template, and the moments their journeys reach (discharge pathways 0-3). Boots nothing.")
final class PopulationCommand implements Callable<Integer> {

    @Option(
            names = "--residents",
            defaultValue = "10000",
            description = "How many residents (default ${DEFAULT-VALUE}).")
    int residents;

    @Option(names = "--days", defaultValue = "30", description = "Days of events (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", defaultValue = "1", description = "The seed: the same seed, the same output.")
    long seed;

    @Override
    public Integer call() {
        if (residents < 1 || residents > CountyGenerator.MAX_RESIDENTS) {
            System.err.printf(
                    "testbed population: --residents must be between 1 and %d (the 999 test range), not %d%n",
                    CountyGenerator.MAX_RESIDENTS, residents);
            return TestbedCommand.BAD_INPUT;
        }
        if (days < 0) {
            System.err.printf("testbed population: --days must not be negative, not %d%n", days);
            return TestbedCommand.BAD_INPUT;
        }
        County county = new CountyLoader().loadResource(CountyLoader.OXFORDSHIRE);
        TemplateLoader loader = new TemplateLoader();
        Map<String, JourneyTemplate> templates = new LinkedHashMap<>();
        county.events()
                .forEach(e -> templates.computeIfAbsent(
                        e.template(), id -> loader.loadResource(TemplateLoader.location(id))));
        Population population = new CountyGenerator(county).generate(residents, days, seed);
        System.out.printf(
                "population %s: %d residents, %d days, seed %d (generation only; replay not yet)%n",
                county.id(), residents, days, seed);
        PopulationSummary.of(population, templates).print(System.out);
        return TestbedCommand.PASSED;
    }
}
