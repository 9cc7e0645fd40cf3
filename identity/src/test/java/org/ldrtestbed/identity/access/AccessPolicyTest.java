package org.ldrtestbed.identity.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The policy file's request rules fail closed: a file that leaves out what they refuse is not loaded at all. */
class AccessPolicyTest {

    private static final String SHIPPED = "identity/access-policy.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    @Test
    void theShippedPolicyLoadsWithItsRequestRules() {
        AccessPolicy.Requests requests =
                AccessPolicy.load("classpath:" + SHIPPED).requests();

        assertThat(requests.destroyingOperations()).contains("expunge", "delete-expunge");
        assertThat(requests.destroyingParameters()).contains("_expunge");
        assertThat(requests.refusedParameters()).containsKey("_has");
        assertThat(requests.totals()).contains("_summary=count", "_total");
    }

    @Test
    void aPolicyWithoutARequestsSectionIsRefusedNamingTheFileAndTheSection() throws Exception {
        Path file = shippedWith(policy -> policy.remove("requests"));

        assertThatThrownBy(() -> AccessPolicy.load("file:" + file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("requests: required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"destroying-operations", "destroying-parameters", "refused-parameters", "totals"})
    void aPolicyWithoutARequiredRequestRuleIsRefusedNamingTheFileAndTheKey(String key) throws Exception {
        Path file = shippedWith(policy -> ((ObjectNode) policy.get("requests")).remove(key));

        assertThatThrownBy(() -> AccessPolicy.load("file:" + file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("requests." + key + ": required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"destroying-operations", "destroying-parameters", "totals"})
    void anEmptyRequiredListIsRefusedAsIfItWereMissing(String key) throws Exception {
        Path file = shippedWith(policy -> ((ObjectNode) policy.get("requests")).putArray(key));

        assertThatThrownBy(() -> AccessPolicy.load("file:" + file))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("requests." + key + ": required");
    }

    @Test
    void anEmptyRefusedParametersMapIsRefusedAsIfItWereMissing() throws Exception {
        Path file = shippedWith(policy -> ((ObjectNode) policy.get("requests")).putObject("refused-parameters"));

        assertThatThrownBy(() -> AccessPolicy.load("file:" + file))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("requests.refused-parameters: required");
    }

    @Test
    void anOptionalRequestRuleMayBeLeftOutBecauseItFailsClosed() throws Exception {
        Path file = shippedWith(policy -> ((ObjectNode) policy.get("requests")).remove("professional-trace"));

        assertThat(AccessPolicy.load("file:" + file).requests().professionalTrace())
                .isEmpty();
    }

    /** The shipped policy, changed, as a file of a user's own. */
    private Path shippedWith(Consumer<ObjectNode> change) throws Exception {
        ObjectNode policy;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(SHIPPED)) {
            policy = (ObjectNode) YAML.readTree(in);
        }
        change.accept(policy);
        Path file = dir.resolve("access-policy.yaml");
        YAML.writeValue(file.toFile(), policy);
        return file;
    }
}
