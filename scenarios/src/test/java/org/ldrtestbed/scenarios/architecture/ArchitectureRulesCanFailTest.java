package org.ldrtestbed.scenarios.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldrtestbed.fhirserver.contract.fixture.ContractReachingIn;
import org.ldrtestbed.identity.fixture.IdentityReachingUp;
import org.ldrtestbed.scenarios.architecture.fixture.ReachesPastTheContract;

/** Each architecture rule reports a class made to break it (fixtures in the test tree): no rule holds vacuously. */
class ArchitectureRulesCanFailTest {

    private static JavaClasses classes(Class<?>... classes) {
        return new ClassFileImporter().importClasses(classes);
    }

    @Test
    void aScenariosClassUsingAServerClassBreaksTheContractRule() {
        assertThat(ArchitectureTest.SCENARIOS_USE_ONLY_THE_CONTRACT
                        .evaluate(classes(ReachesPastTheContract.class))
                        .getFailureReport()
                        .toString())
                .contains("AccessInterceptor");
    }

    @Test
    void aContractClassUsingTheImplementationBreaksTheStandAloneRule() {
        assertThat(ArchitectureTest.THE_CONTRACT_STANDS_ALONE
                        .evaluate(classes(ContractReachingIn.class))
                        .getFailureReport()
                        .toString())
                .contains("PatientRecords");
    }

    @Test
    void identityUsingRoutesBreaksTheDirection() {
        assertThat(ArchitectureTest.MODULES_POINT_ONE_WAY
                        .evaluate(classes(IdentityReachingUp.class, org.ldrtestbed.routes.contract.FlowCatalogue.class))
                        .getFailureReport()
                        .toString())
                .contains("IdentityReachingUp");
    }

    @Test
    void aWholePackageImportAndAClassLoadedByNameAreFound(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Sneaks.java"), """
                package org.ldrtestbed.scenarios.engine;
                import org.ldrtestbed.fhirserver.access.*;
                import org.ldrtestbed.fhirserver.contract.*;
                class Sneaks { Object c = Class.forName("org.ldrtestbed.routes.outbox.FlowOutbox"); }
                """);
        assertThat(ArchitectureTest.sourcesPastTheContract(dir))
                .containsExactly(
                        "Sneaks.java:2: org.ldrtestbed.fhirserver.access.*;",
                        "Sneaks.java:4: forName(\"org.ldrtestbed.routes.outbox.");
    }

    @Test
    void aSourceNamingAServerConstantIsFound(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Uses.java"), """
                package org.ldrtestbed.scenarios.engine;
                import org.ldrtestbed.fhirserver.contract.Headers;
                class Uses { String s = org.ldrtestbed.fhirserver.access.AccessInterceptor.DENIAL_REASONS; }
                """);
        assertThat(ArchitectureTest.sourcesPastTheContract(dir))
                .containsExactly("Uses.java:3: org.ldrtestbed.fhirserver.access.A");
    }
}
