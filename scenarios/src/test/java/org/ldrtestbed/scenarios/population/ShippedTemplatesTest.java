package org.ldrtestbed.scenarios.population;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The county's events name shipped templates for the condition they are drawn for, and the templates name only
 * organisations of the directory (or the patient's own practice).
 */
class ShippedTemplatesTest {

    private final County county = new CountyLoader().loadResource(CountyLoader.OXFORDSHIRE);
    private final TemplateLoader loader = new TemplateLoader();

    @Test
    void everyEventOfTheCountyHasItsTemplateForItsCondition() {
        for (County.EventRate event : county.events()) {
            JourneyTemplate template = loader.loadResource(TemplateLoader.location(event.template()));
            assertThat(template.id()).isEqualTo(event.template());
            assertThat(template.condition()).as(event.template()).isEqualTo(event.condition());
        }
    }

    @Test
    void templatesActOnlyThroughOrganisationsOfTheDirectory() throws IOException {
        Set<String> directory = directoryCodes();
        for (County.EventRate event : county.events()) {
            JourneyTemplate template = loader.loadResource(TemplateLoader.location(event.template()));
            for (JourneyTemplate.State state : template.states().values()) {
                state.actor()
                        .organisation()
                        .filter(o -> !o.startsWith("{{"))
                        .ifPresent(o -> assertThat(directory)
                                .as(template.id() + " state " + state.id())
                                .contains(o));
            }
        }
    }

    /**
     * Expanded for 5,000 residents of the county each, every state of every shipped template is visited by someone
     * (no branch is dead in practice), every journey ends in a state with no way out, and time never runs back.
     */
    @Test
    void everyStateOfEveryTemplateIsReachedByTheCountysResidents() {
        Population population = new CountyGenerator(county).generate(200_000, 0, 11);
        for (County.EventRate event : county.events()) {
            JourneyTemplate template = loader.loadResource(TemplateLoader.location(event.template()));
            List<Resident> eligible =
                    population.residents().stream().filter(event::appliesTo).toList();
            assertThat(eligible).as(event.template()).isNotEmpty();
            Set<String> visited = new HashSet<>();
            SplittableRandom random = new SplittableRandom(12);
            for (int i = 0; i < 5_000; i++) {
                Resident resident = eligible.get(i % eligible.size());
                ExpandedJourney journey = TemplateExpansion.expand(template, resident.attributes(), random);
                journey.visits().forEach(v -> visited.add(v.state()));
                assertThat(template.states()
                                .get(journey.visits().getLast().state())
                                .next())
                        .isEmpty();
                for (int v = 1; v < journey.visits().size(); v++) {
                    assertThat(journey.visits().get(v).at())
                            .isGreaterThanOrEqualTo(journey.visits().get(v - 1).at());
                }
            }
            assertThat(visited).as(event.template()).isEqualTo(template.states().keySet());
        }
    }

    /** Every role a template acts in is one the access policy knows, so a replay can sign in as it. */
    @Test
    void templatesActOnlyInRolesOfTheAccessPolicy() throws IOException {
        Set<String> roles = new HashSet<>();
        try (InputStream in =
                ShippedTemplatesTest.class.getClassLoader().getResourceAsStream("identity/access-policy.yaml")) {
            assertThat(in).isNotNull();
            JsonNode policy = new YAMLMapper().readTree(in);
            policy.path("roles").fieldNames().forEachRemaining(roles::add);
            roles.add(policy.path("patient-role").asText());
        }
        assertThat(roles).contains("gp", "patient", "social-worker");
        for (County.EventRate event : county.events()) {
            JourneyTemplate template = loader.loadResource(TemplateLoader.location(event.template()));
            template.states()
                    .values()
                    .forEach(state -> assertThat(roles)
                            .as(template.id() + " state " + state.id())
                            .contains(state.actor().role()));
        }
    }

    @Test
    void childrenAloneAreSeenInAAndEAsChildren() {
        Population population = new CountyGenerator(county).generate(20_000, 30, 13);
        List<TemplateEvent> children = population.events().stream()
                .filter(e -> e.template().equals("child-ed-attendance"))
                .toList();
        assertThat(children).isNotEmpty();
        assertThat(children)
                .allMatch(e -> population.residents().get(e.resident()).age() < 18);
    }

    /** Every ods and service code anywhere in the server's directory file. */
    private static Set<String> directoryCodes() throws IOException {
        try (InputStream in =
                ShippedTemplatesTest.class.getClassLoader().getResourceAsStream("directory/oxfordshire.yaml")) {
            assertThat(in).isNotNull();
            Set<String> codes = new HashSet<>();
            collect(new YAMLMapper().readTree(in).path("organisations"), codes);
            assertThat(codes).contains("SYNAC", "SYNG09");
            return codes;
        }
    }

    private static void collect(JsonNode node, Set<String> codes) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if ((e.getKey().equals("ods") || e.getKey().equals("code"))
                        && e.getValue().isTextual()) {
                    codes.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), codes);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, codes));
        }
    }
}
