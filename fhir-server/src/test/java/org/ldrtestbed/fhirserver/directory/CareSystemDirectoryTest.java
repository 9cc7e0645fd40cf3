package org.ldrtestbed.fhirserver.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Organisation;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Professional;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;
import org.ldrtestbed.identity.contract.RealmFiles;

/** The synthetic care system is complete, synthetic, and agrees with the realm (the source of truth for log-in). */
class CareSystemDirectoryTest {

    private final CareSystemDirectory directory = CareSystemDirectory.load("classpath:directory/oxfordshire.yaml");
    private final RealmDefinition realm = RealmFiles.load("classpath:identity/ldr-testbed-realm.json");

    @Test
    void coversTheSettingsOfTheCareSystem() {
        assertThat(organisations("acute"))
                .singleElement()
                .satisfies(o -> assertThat(o.sites()).hasSize(2));
        assertThat(organisations("community"))
                .singleElement()
                .satisfies(o -> assertThat(o.sites())
                        .anySatisfy(s -> assertThat(s.name()).contains("Community Hospital")));
        assertThat(organisations("social-care")).hasSize(2);
        assertThat(organisations("community-pharmacy")).isNotEmpty();
        assertThat(organisations("ambulance")).hasSize(1);
        assertThat(organisations("urgent-care"))
                .singleElement()
                .satisfies(o -> assertThat(o.partOf())
                        .isEqualTo(organisations("ambulance").getFirst().ods()));
        Set<String> localities = organisations("primary-care").stream()
                .map(Organisation::locality)
                .collect(Collectors.toSet());
        assertThat(localities)
                .containsExactlyInAnyOrder("North", "North East", "Oxford City", "South East", "South West", "West");
    }

    @Test
    void everyCodeAndNameIsVisiblySynthetic() {
        assertThat(directory.organisations()).allSatisfy(o -> {
            assertThat(o.ods()).startsWith("SYN");
            assertThat(o.name()).contains("synthetic");
            o.sites().forEach(s -> assertThat(s.ods()).startsWith("SYN"));
        });
        assertThat(directory.practitioners()).allSatisfy(p -> {
            assertThat(p.sdsId()).startsWith("9000000");
            assertThat(p.family()).contains("(synthetic)");
        });
    }

    @Test
    void everyProfessionalIsARealmUserWithTheSameRoleAndOrganisation() {
        for (Professional professional : directory.practitioners()) {
            RealmUser user = realm.user(professional.username())
                    .orElseThrow(() -> new AssertionError("no realm user " + professional.username()));
            assertThat(user.attribute("practitioner")).hasValue(professional.sdsId());
            assertThat(professional.roles()).as(professional.username()).anySatisfy(role -> {
                assertThat(user.realmRoles()).contains(role.role());
                assertThat(user.attribute("organisation")).hasValue(role.organisation());
            });
        }
    }

    @Test
    void everyRealmUserWithAnOrganisationWorksForOneInTheDirectory() {
        for (RealmUser user : realm.users()) {
            user.attribute("organisation")
                    .ifPresent(ods -> assertThat(directory.organisation(ods))
                            .as(user.username() + " works for " + ods)
                            .isPresent());
            user.attribute("practitioner")
                    .ifPresent(sds -> assertThat(directory.practitioners())
                            .extracting(Professional::sdsId)
                            .as(user.username())
                            .contains(sds));
        }
    }

    @Test
    void loadsAsOneIdempotentTransactionWithIdsDerivedFromCodes() {
        Bundle transaction = DirectoryResources.asTransaction(directory);

        assertThat(transaction.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(transaction.getEntry()).allSatisfy(e -> {
            assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
            assertThat(e.getRequest().getUrl()).doesNotContain("?");
        });
        assertThat(transaction.getEntry())
                .extracting(e -> e.getRequest().getUrl())
                .contains("Organization/SYNAC", "Location/SYNAC01", "Practitioner/sds-900000000101")
                .doesNotHaveDuplicates();
        assertThat(DirectoryResources.asTransaction(directory).getEntry())
                .extracting(e -> e.getRequest().getUrl())
                .isEqualTo(transaction.getEntry().stream()
                        .map(e -> e.getRequest().getUrl())
                        .toList());
    }

    private List<Organisation> organisations(String setting) {
        return directory.organisations().stream()
                .filter(o -> setting.equals(o.setting()))
                .toList();
    }
}
