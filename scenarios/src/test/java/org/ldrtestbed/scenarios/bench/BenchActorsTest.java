package org.ldrtestbed.scenarios.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;

/** The benchmarks' actors are users of the shipped realm and organisations of the shipped directory. */
class BenchActorsTest {

    private static final BenchActors ACTORS = BenchActors.shipped();

    @Test
    void everyNamedUserIsAnEnabledRealmUser() {
        RealmDefinition realm = RealmFiles.load("classpath:identity/ldr-testbed-realm.json");
        var users = new java.util.ArrayList<String>();
        users.add(ACTORS.admin());
        users.add(ACTORS.access().writer());
        users.add(ACTORS.access().relatedReader());
        users.add(ACTORS.access().unrelatedReader());
        users.add(ACTORS.flows().registrar());
        users.add(ACTORS.flows().noticeBystander());
        users.add(ACTORS.flows().bystander());
        users.addAll(ACTORS.flows().senders().values());
        assertThat(users).allSatisfy(u -> assertThat(realm.user(u)).as(u).isPresent());
    }

    @Test
    void everyNamedOrganisationIsInTheDirectory() {
        CareSystemDirectory directory = CareSystemDirectory.load("classpath:directory/oxfordshire.yaml");
        BenchActors.Organisations o = ACTORS.flows().organisations();
        assertThat(java.util.List.of(o.practice(), o.acuteTrust(), o.council(), o.pharmacy()))
                .allSatisfy(code ->
                        assertThat(directory.organisation(code)).as(code).isPresent());
    }

    @Test
    void aFlowWithoutASenderIsNamedInTheError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ACTORS.flows().sender("no-such-flow"))
                .hasMessageContaining("no-such-flow")
                .hasMessageContaining(BenchActors.LOCATION);
    }
}
