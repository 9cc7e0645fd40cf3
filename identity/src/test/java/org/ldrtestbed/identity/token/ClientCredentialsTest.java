package org.ldrtestbed.identity.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ldrtestbed.identity.contract.TokenRequestException;
import org.springframework.util.LinkedMultiValueMap;

class ClientCredentialsTest {

    private final LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();

    @Test
    void basicHeaderGivesIdAndSecret() {
        TokenEndpoints.ClientCredentials client =
                TokenEndpoints.ClientCredentials.from(form, basic("mesh-mailbox:s3:cret"));

        assertThat(client.id()).isEqualTo("mesh-mailbox");
        assertThat(client.secret()).isEqualTo("s3:cret");
    }

    @Test
    void withoutBasicHeaderTheFormNamesTheClient() {
        form.add("client_id", "testbed-scenarios");

        assertThat(TokenEndpoints.ClientCredentials.from(form, null).id()).isEqualTo("testbed-scenarios");
        assertThat(TokenEndpoints.ClientCredentials.from(form, "Bearer whatever")
                        .id())
                .isEqualTo("testbed-scenarios");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"Basic !!!not-base64!!!", "Basic ", "Basic bm8tY29sb24=", "Basic OnNlY3JldA==", "basic %%%"})
    void malformedBasicHeaderIsRefusedAsAnInvalidClient(String header) {
        // bm8tY29sb24= is "no-colon"; OnNlY3JldA== is ":secret" (no client id).
        assertThatThrownBy(() -> TokenEndpoints.ClientCredentials.from(form, header))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_client");
                    assertThat(e.status()).isEqualTo(401);
                });
    }

    private static String basic(String idAndSecret) {
        return "Basic " + Base64.getEncoder().encodeToString(idAndSecret.getBytes(StandardCharsets.UTF_8));
    }
}
