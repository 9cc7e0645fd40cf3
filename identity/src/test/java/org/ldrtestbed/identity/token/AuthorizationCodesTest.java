package org.ldrtestbed.identity.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.contract.TokenRequestException;

class AuthorizationCodesTest {

    /** RFC 7636 Appendix B's example verifier and its S256 challenge. */
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final String REDIRECT = "http://127.0.0.1:5173/callback";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-05T09:00:00Z"));
    private final AuthorizationCodes codes = new AuthorizationCodes(clock);

    @Test
    void challengeIsTheBase64UrlSha256OfTheVerifier() {
        assertThat(AuthorizationCodes.challengeOf(VERIFIER)).isEqualTo(CHALLENGE);
    }

    @Test
    void codeIsRedeemedOnceWithItsVerifier() {
        String code = codes.issue(grant());

        AuthorizationCodes.Grant grant = codes.redeem(code, "smart-app-example", REDIRECT, VERIFIER);

        assertThat(grant.username()).isEqualTo("gp.ashdown");
        assertThat(grant.scope()).isEqualTo("openid user/*.cruds");
        assertRefused(() -> codes.redeem(code, "smart-app-example", REDIRECT, VERIFIER), "Code not valid");
    }

    @Test
    void wrongVerifierIsRefusedAndBurnsTheCode() {
        String code = codes.issue(grant());

        assertRefused(
                () -> codes.redeem(code, "smart-app-example", REDIRECT, VERIFIER.replace('d', 'e')), "does not match");
        assertRefused(() -> codes.redeem(code, "smart-app-example", REDIRECT, VERIFIER), "Code not valid");
    }

    @Test
    void missingOrMalformedVerifierIsRefused() {
        assertRefused(() -> codes.redeem(codes.issue(grant()), "smart-app-example", REDIRECT, null), "verifier");
        assertRefused(() -> codes.redeem(codes.issue(grant()), "smart-app-example", REDIRECT, "short"), "verifier");
        // plain PKCE would send the challenge itself as the verifier; it does not hash to itself.
        assertRefused(
                () -> codes.redeem(codes.issue(grant()), "smart-app-example", REDIRECT, CHALLENGE), "does not match");
    }

    @Test
    void codeIsBoundToItsClientAndRedirectUri() {
        assertRefused(() -> codes.redeem(codes.issue(grant()), "testbed-scenarios", REDIRECT, VERIFIER), "client");
        assertRefused(
                () -> codes.redeem(codes.issue(grant()), "smart-app-example", "http://127.0.0.1:5173/other", VERIFIER),
                "redirect_uri");
    }

    @Test
    void codeExpiresAfterSixtySeconds() {
        String fresh = codes.issue(grant());
        String stale = codes.issue(grant());

        clock.advance(AuthorizationCodes.LIFETIME.minusSeconds(1));
        assertThat(codes.redeem(fresh, "smart-app-example", REDIRECT, VERIFIER).username())
                .isEqualTo("gp.ashdown");
        clock.advance(Duration.ofSeconds(1));
        assertRefused(() -> codes.redeem(stale, "smart-app-example", REDIRECT, VERIFIER), "expired");
    }

    @Test
    void onlyAnS256ChallengeIsAccepted() {
        AuthorizationCodes.checkChallenge(CHALLENGE, "S256");

        assertInvalidRequest(() -> AuthorizationCodes.checkChallenge(CHALLENGE, "plain"), "code_challenge_method");
        assertInvalidRequest(() -> AuthorizationCodes.checkChallenge(CHALLENGE, null), "code_challenge_method");
        assertInvalidRequest(() -> AuthorizationCodes.checkChallenge(null, "S256"), "code_challenge");
        assertInvalidRequest(() -> AuthorizationCodes.checkChallenge("not-a-sha256", "S256"), "code_challenge");
    }

    private static AuthorizationCodes.Grant grant() {
        return new AuthorizationCodes.Grant(
                "smart-app-example", REDIRECT, "gp.ashdown", "openid user/*.cruds", CHALLENGE);
    }

    private static void assertRefused(Runnable redeem, String description) {
        assertThatThrownBy(redeem::run).isInstanceOfSatisfying(TokenRequestException.class, e -> {
            assertThat(e.error()).isEqualTo("invalid_grant");
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains(description);
        });
    }

    private static void assertInvalidRequest(Runnable check, String description) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(TokenRequestException.class, e -> {
            assertThat(e.error()).isEqualTo("invalid_request");
            assertThat(e.getMessage()).contains(description);
        });
    }

    /** A clock the test moves on by hand. */
    static final class MovableClock extends Clock {

        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
