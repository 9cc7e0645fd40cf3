package org.ldrtestbed.scenarios.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.engine.ActorDirectory;

/** Every journey file the testbed ships, and every engine fixture, loads and names only things that exist. */
class JourneyCatalogueTest {

    private static final Pattern DIRECTORY_TEMPLATE = Pattern.compile("\\{\\{\\s*(org|location):([A-Za-z0-9-]+)\\s*}}");

    private final RealmDefinition realm = RealmFiles.load("classpath:identity/ldr-testbed-realm.json");
    private final FlowCatalogue flows = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private final CareSystemDirectory directory = CareSystemDirectory.load("classpath:directory/oxfordshire.yaml");

    @Test
    void theShippedJourneysIncludeDot() {
        assertThat(new JourneyCatalogue().all()).extracting(Journey::id).contains("dot");
    }

    @Test
    void everyJourneyLoadsAndItsActorsFlowsAndDirectoryEntriesExist() throws IOException {
        for (Path file : journeyFiles()) {
            Journey journey = new JourneyLoader().load(file);
            // A journey's actors are the realm's users and the people it declares itself.
            ActorDirectory actors =
                    new ActorDirectory(realm.withUsers(journey.people().users()));
            for (Step step : journey.steps()) {
                assertThatCode(() -> actors.resolve(step.actor()))
                        .as("%s step %s", file, step.id())
                        .doesNotThrowAnyException();
                for (Step.Sees sees : step.sees()) {
                    assertThat(sees.flows())
                            .as("%s assertion %s", file, sees.id())
                            .allSatisfy(code -> assertThat(flows.flow(code)).isPresent());
                }
                for (Step.Action action : step.does()) {
                    if (action instanceof Step.SendDocument send) {
                        assertThat(flows.flow(send.flow()))
                                .as("%s step %s", file, step.id())
                                .isPresent();
                    }
                }
            }
            Matcher m = DIRECTORY_TEMPLATE.matcher(Files.readString(file));
            while (m.find()) {
                assertThat(directoryHas(m.group(1), m.group(2)))
                        .as("%s names %s", file, m.group())
                        .isTrue();
            }
        }
    }

    private boolean directoryHas(String kind, String code) {
        if (kind.equals("org")) {
            return directory.organisation(code).isPresent();
        }
        return directory.organisations().stream()
                .flatMap(o -> o.sites().stream())
                .anyMatch(s -> s.ods().equals(code)
                        || s.units().stream().anyMatch(u -> u.code().equals(code)));
    }

    private static List<Path> journeyFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : List.of("src/main/resources/journeys", "src/test/resources/engine-fixtures")) {
            try (Stream<Path> paths = Files.walk(Path.of(root))) {
                paths.filter(p -> p.toString().endsWith(".journey.yaml")).forEach(files::add);
            }
        }
        assertThat(files).isNotEmpty();
        return files;
    }
}
