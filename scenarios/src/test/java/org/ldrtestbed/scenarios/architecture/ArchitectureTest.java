package org.ldrtestbed.scenarios.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape the modules keep: {@code scenarios} is a client that reaches the server only through the wire contract
 * (the {@code contract} package of each module), the contract stands on its own, and dependencies point one way.
 */
class ArchitectureTest {

    static final String MODULES = "org.ldrtestbed.(identity|routes|fhirserver)..";
    static final String CONTRACT = "org.ldrtestbed.*.contract..";

    /**
     * The two places that host the server in-process and may use its classes: the embedded testbed (it boots the
     * application) and the benchmarks (a flow's baseline files the flow's own translation directly).
     */
    static final String[] HOSTS = {"org.ldrtestbed.scenarios.embedded..", "org.ldrtestbed.scenarios.bench.."};

    /** The engine, journeys, check and reports: a FHIR client of any server. */
    static final ArchRule SCENARIOS_USE_ONLY_THE_CONTRACT = noClasses()
            .that()
            .resideInAPackage("org.ldrtestbed.scenarios..")
            .and()
            .resideOutsideOfPackages(HOSTS)
            .should()
            .dependOnClassesThat(resideInAnyPackage(
                            "org.ldrtestbed.identity..", "org.ldrtestbed.routes..", "org.ldrtestbed.fhirserver..")
                    .and(not(resideInAPackage(CONTRACT))))
            .because("the journey engine is a FHIR client: what it shares with the server is the wire contract");

    static final ArchRule THE_CONTRACT_STANDS_ALONE = noClasses()
            .that()
            .resideInAPackage(CONTRACT)
            .should()
            .dependOnClassesThat(resideInAPackage("org.ldrtestbed..").and(not(resideInAPackage(CONTRACT))))
            .because("a client takes the contract without the server's implementation");

    static final ArchRule MODULES_POINT_ONE_WAY = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("identity")
            .definedBy("org.ldrtestbed.identity..")
            .layer("routes")
            .definedBy("org.ldrtestbed.routes..")
            .layer("fhirserver")
            .definedBy("org.ldrtestbed.fhirserver..")
            .layer("scenarios")
            .definedBy("org.ldrtestbed.scenarios..")
            .whereLayer("scenarios")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("fhirserver")
            .mayOnlyBeAccessedByLayers("scenarios")
            .whereLayer("routes")
            .mayOnlyBeAccessedByLayers("fhirserver", "scenarios")
            .whereLayer("identity")
            .mayOnlyBeAccessedByLayers("routes", "fhirserver", "scenarios");

    static final ArchRule IDENTITY_KNOWS_NOTHING_OF_CAMEL = noClasses()
            .that()
            .resideInAPackage("org.ldrtestbed.identity..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.apache.camel..");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                // The other modules come as jars (or target/classes in the reactor); their test jars do not count.
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.ldrtestbed");
    }

    @Test
    void allFourModulesAreImported() {
        // The rules below hold vacuously of classes that were never imported.
        for (String module : List.of("identity", "routes", "fhirserver", "scenarios")) {
            assertThat(main.stream().filter(c -> c.getPackageName().startsWith("org.ldrtestbed." + module + ".")))
                    .as(module)
                    .hasSizeGreaterThan(10);
        }
    }

    @Test
    void scenariosReachTheServerOnlyThroughTheContract() {
        SCENARIOS_USE_ONLY_THE_CONTRACT.check(main);
    }

    @Test
    void theContractStandsAlone() {
        THE_CONTRACT_STANDS_ALONE.check(main);
    }

    @Test
    void dependenciesPointOneWay() {
        MODULES_POINT_ONE_WAY.check(main);
        IDENTITY_KNOWS_NOTHING_OF_CAMEL.check(main);
    }

    /**
     * javac copies a constant ({@code static final String}) into the class that reads it, leaving no dependency in
     * the bytecode for the rules above to see; so the sources are read too, for names of the modules outside the
     * contract.
     */
    @Test
    void scenariosSourcesNameNothingPastTheContract() throws IOException {
        assertThat(sourcesPastTheContract(Path.of("src/main/java/org/ldrtestbed/scenarios")))
                .isEmpty();
    }

    static List<String> sourcesPastTheContract(Path root) throws IOException {
        // A class named (or a package imported whole, whose constants the bytecode would not show).
        Pattern named =
                Pattern.compile("org\\.ldrtestbed\\.(identity|routes|fhirserver)((\\.[a-z]\\w*)*)\\.([A-Z]|\\*;)");
        // A class loaded by its name, which only a string says.
        Pattern loaded = Pattern.compile(
                "(forName|loadClass)\\(\\s*\"org\\.ldrtestbed\\.(identity|routes|fhirserver)((\\.[a-z]\\w*)*)\\.");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.toString().contains("/embedded/")
                            && !f.toString().contains("/bench/"))
                    .flatMap(f -> {
                        try {
                            List<String> found = new java.util.ArrayList<>();
                            List<String> lines = Files.readAllLines(f);
                            for (int i = 0; i < lines.size(); i++) {
                                // A string (a logger's name in the embedded testbed's settings) is no use of a class.
                                Matcher m = named.matcher(lines.get(i).replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\""));
                                while (m.find()) {
                                    if (!m.group(2).startsWith(".contract")) {
                                        found.add(root.relativize(f) + ":" + (i + 1) + ": " + m.group());
                                    }
                                }
                                Matcher l = loaded.matcher(lines.get(i));
                                while (l.find()) {
                                    if (!l.group(3).startsWith(".contract")) {
                                        found.add(root.relativize(f) + ":" + (i + 1) + ": " + l.group());
                                    }
                                }
                            }
                            return found.stream();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }
}
