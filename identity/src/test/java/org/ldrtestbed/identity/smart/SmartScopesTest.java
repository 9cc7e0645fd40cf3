package org.ldrtestbed.identity.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmartScopesTest {

    @Test
    void wildcardV2ScopePermitsEveryInteractionOnEveryType() {
        SmartScopes scopes = SmartScopes.parse("openid profile user/*.cruds");

        for (char interaction : "cruds".toCharArray()) {
            assertThat(scopes.permits("Patient", interaction)).isTrue();
            assertThat(scopes.permits("Observation", interaction)).isTrue();
        }
        assertThat(scopes.permits("*", 's')).isTrue();
        assertThat(scopes.scopes())
                .singleElement()
                .satisfies(s -> assertThat(s.context()).isEqualTo("user"));
    }

    @Test
    void typedV2ScopePermitsOnlyItsTypeAndLetters() {
        SmartScopes scopes = SmartScopes.parse("patient/Observation.rs patient/Appointment.cu");

        assertThat(scopes.permits("Observation", 'r')).isTrue();
        assertThat(scopes.permits("Observation", 's')).isTrue();
        assertThat(scopes.permits("Observation", 'c')).isFalse();
        assertThat(scopes.permits("Appointment", 'c')).isTrue();
        assertThat(scopes.permits("Appointment", 'd')).isFalse();
        assertThat(scopes.permits("Patient", 'r')).isFalse();
        assertThat(scopes.permits("*", 's'))
                .as("a system-wide search needs a wildcard")
                .isFalse();
    }

    @Test
    void v1ScopesMapOntoV2Letters() {
        SmartScopes read = SmartScopes.parse("patient/*.read");
        assertThat(read.permits("Condition", 'r')).isTrue();
        assertThat(read.permits("Condition", 's')).isTrue();
        assertThat(read.permits("Condition", 'c')).isFalse();

        SmartScopes write = SmartScopes.parse("user/Patient.write");
        assertThat(write.permits("Patient", 'c')).isTrue();
        assertThat(write.permits("Patient", 'u')).isTrue();
        assertThat(write.permits("Patient", 'd')).isTrue();
        assertThat(write.permits("Patient", 'r')).isFalse();

        SmartScopes all = SmartScopes.parse("system/*.*");
        assertThat(all.permits("Task", 'd')).isTrue();
    }

    @Test
    void v2QueryConstraintsStillGrantTheInteraction() {
        assertThat(SmartScopes.parse("patient/Observation.rs?category=laboratory")
                        .permits("Observation", 's'))
                .isTrue();
    }

    @Test
    void nonResourceAndMalformedScopesAreIgnored() {
        SmartScopes scopes = SmartScopes.parse(
                "openid profile launch fhirUser online_access user/*. user/*.xyz doctor/*.cruds user/*.rc");

        assertThat(scopes.isEmpty()).as("%s", scopes).isTrue();
        assertThat(SmartScopes.parse(null).isEmpty()).isTrue();
        assertThat(SmartScopes.parse("  ").isEmpty()).isTrue();
    }

    @Test
    void unknownInteractionIsAProgrammingError() {
        assertThatThrownBy(() -> SmartScopes.parse("user/*.cruds").permits("Patient", 'x'))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void patientsAndProxiesAskForPatientScopesEveryoneElseForUserScopes() {
        assertThat(SmartScopes.requestFor(List.of("patient"))).isEqualTo("openid patient/*.cruds");
        assertThat(SmartScopes.requestFor(List.of("proxy"))).isEqualTo("openid patient/*.cruds");
        assertThat(SmartScopes.requestFor(List.of("gp"))).isEqualTo("openid user/*.cruds");
        assertThat(SmartScopes.requestFor(List.of())).isEqualTo("openid user/*.cruds");
    }
}
