package org.ldrtestbed.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;

/** Routes come from the catalogue: one per entry, from the flow packages' modules, and the two must match. */
class FlowRegistryTest {

    private static final FlowCatalogue CATALOGUE = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private static final FlowWiring WIRING = new FlowWiring(
            FhirContext.forR4Cached(),
            null,
            1,
            Clock.systemUTC(),
            flow -> null,
            name -> null,
            org.ldrtestbed.routes.sut.SutDeliveries.none());

    @Test
    void everyCatalogueFlowGetsItsOwnRouteFromItsPackage() {
        List<FlowRoute<?>> routes = FlowRegistry.routes(CATALOGUE, FlowRegistry.discover(), WIRING);

        assertThat(routes)
                .extracting(r -> r.flow().code())
                .containsExactlyElementsOf(
                        CATALOGUE.flows().stream().map(SharingFlow::code).toList());
        // Each flow's route lives in its capability's package.
        assertThat(routes)
                .filteredOn(r -> r.flow().code().equals("discharge-summary"))
                .singleElement()
                .extracting(r -> r.getClass().getPackageName())
                .isEqualTo("org.ldrtestbed.routes.discharge");
    }

    @Test
    void aCatalogueFlowNoPackageImplementsStopsStartUp() {
        List<FlowModule> modules = new ArrayList<>(FlowRegistry.discover());
        modules.removeIf(m -> m.flows().containsKey("eol-pointer"));

        assertThatThrownBy(() -> FlowRegistry.routes(CATALOGUE, modules, WIRING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("catalogue flow eol-pointer has no implementation");
    }

    @Test
    void anImplementationTheCatalogueDoesNotListStopsStartUp() {
        List<FlowModule> modules = new ArrayList<>(FlowRegistry.discover());
        // A lambda, not a class: discovery scans the test classes' packages too.
        modules.add(() -> Map.of("carrier-pigeon", (flow, wiring) -> null));

        assertThatThrownBy(() -> FlowRegistry.routes(CATALOGUE, modules, WIRING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("implements flow carrier-pigeon")
                .hasMessageContaining("which the catalogue does not list");
    }

    @Test
    void aFlowTwoPackagesClaimStopsStartUp() {
        List<FlowModule> modules = new ArrayList<>(FlowRegistry.discover());
        modules.add(() -> Map.of("discharge-summary", (flow, wiring) -> null));

        assertThatThrownBy(() -> FlowRegistry.routes(CATALOGUE, modules, WIRING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("flow discharge-summary is implemented twice");
    }
}
