package org.ldrtestbed.identity.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedirectUrisTest {

    private static final List<String> LOOPBACK = List.of("http://127.0.0.1/*", "http://localhost/*");

    @Test
    void loopbackRedirectMayUseAnyPort() {
        assertThat(RedirectUris.registered(LOOPBACK, "http://127.0.0.1:5173/callback?x=1"))
                .isTrue();
        assertThat(RedirectUris.registered(LOOPBACK, "http://localhost:8000/")).isTrue();
        assertThat(RedirectUris.registered(LOOPBACK, "http://127.0.0.1/cb")).isTrue();
    }

    @Test
    void otherHostsAndLookalikesAreRefused() {
        assertThat(RedirectUris.registered(LOOPBACK, "http://127.0.0.1.evil.example/cb"))
                .isFalse();
        assertThat(RedirectUris.registered(LOOPBACK, "http://127.0.0.1:80@evil.example/cb"))
                .isFalse();
        assertThat(RedirectUris.registered(LOOPBACK, "https://evil.example/cb")).isFalse();
        assertThat(RedirectUris.registered(LOOPBACK, "http://localhost:8000/cb#fragment"))
                .isFalse();
        assertThat(RedirectUris.registered(LOOPBACK, "/relative")).isFalse();
        assertThat(RedirectUris.registered(LOOPBACK, null)).isFalse();
    }

    @Test
    void registrationWithoutWildcardMatchesExactly() {
        List<String> exact = List.of("https://app.example/callback");

        assertThat(RedirectUris.registered(exact, "https://app.example/callback"))
                .isTrue();
        assertThat(RedirectUris.registered(exact, "https://app.example/callback/more"))
                .isFalse();
        assertThat(RedirectUris.registered(List.of(), "http://127.0.0.1:5173/callback"))
                .isFalse();
    }
}
