package org.ldrtestbed.identity.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.ldrtestbed.identity.contract.TokenRequestException;

/**
 * Authorization codes of the code grant with PKCE (RFC 6749 §4.1, RFC 7636), S256 only. A code is single use,
 * valid for {@link #LIFETIME}, and bound to the client, the redirect URI and the code challenge it was issued for.
 * Redeeming a code burns it whatever the outcome, so a code that leaked is worth one guess at its verifier.
 */
public final class AuthorizationCodes {

    /** How long a code may wait for its token request, as Keycloak's default "client login timeout". */
    public static final Duration LIFETIME = Duration.ofSeconds(60);

    /** The only PKCE method accepted: {@code plain} would send the verifier itself through the browser. */
    public static final String S256 = "S256";

    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    /** BASE64URL(SHA-256(verifier)) without padding: always 43 characters. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Issued> codes = new ConcurrentHashMap<>();

    public AuthorizationCodes(Clock clock) {
        this.clock = clock;
    }

    /**
     * What the user consented to at the authorization endpoint, which the token request must match.
     *
     * @param nonce the request's OpenID Connect nonce, echoed in the ID token; or null
     */
    public record Grant(
            String clientId, String redirectUri, String username, String scope, String codeChallenge, String nonce) {

        /** A grant whose request sent no nonce. */
        public Grant(String clientId, String redirectUri, String username, String scope, String codeChallenge) {
            this(clientId, redirectUri, username, scope, codeChallenge, null);
        }
    }

    private record Issued(Grant grant, Instant expires) {}

    /**
     * Checks an authorization request's PKCE parameters (RFC 7636 §4.4.1): a challenge is required, its method must
     * be S256, and it must look like one.
     *
     * @throws TokenRequestException {@code invalid_request}, to be sent back to the client's redirect URI
     */
    public static void checkChallenge(String codeChallenge, String method) {
        if (codeChallenge == null || codeChallenge.isEmpty()) {
            throw new TokenRequestException("invalid_request", "Missing parameter: code_challenge", 400);
        }
        if (!S256.equals(method)) {
            throw new TokenRequestException(
                    "invalid_request",
                    "Invalid parameter: code_challenge_method (only " + S256 + " is supported, not " + method + ")",
                    400);
        }
        if (!S256_CHALLENGE.matcher(codeChallenge).matches()) {
            throw new TokenRequestException("invalid_request", "Invalid parameter: code_challenge", 400);
        }
    }

    /** The S256 challenge of a verifier: what a client sends to the authorization endpoint. */
    public static String challengeOf(String codeVerifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
            return BASE64URL.encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new code for the grant; the grant's challenge must have passed {@link #checkChallenge}. */
    public String issue(Grant grant) {
        Instant now = clock.instant();
        // Codes nobody redeemed must not pile up.
        codes.values().removeIf(c -> !now.isBefore(c.expires()));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String code = BASE64URL.encodeToString(bytes);
        codes.put(code, new Issued(grant, now.plus(LIFETIME)));
        return code;
    }

    /**
     * The grant a code was issued for, if the token request matches it (RFC 6749 §4.1.3, RFC 7636 §4.6).
     *
     * @throws TokenRequestException {@code invalid_grant} (400) for an unknown, used or expired code, another
     *     client's code, a different redirect URI or a verifier that does not match the challenge
     */
    public Grant redeem(String code, String clientId, String redirectUri, String codeVerifier) {
        Issued issued = code == null ? null : codes.remove(code);
        if (issued == null) {
            throw invalidGrant("Code not valid");
        }
        if (!clock.instant().isBefore(issued.expires())) {
            throw invalidGrant("Code is expired");
        }
        Grant grant = issued.grant();
        if (!grant.clientId().equals(clientId)) {
            throw invalidGrant("Code was issued to another client");
        }
        if (!grant.redirectUri().equals(redirectUri)) {
            throw invalidGrant("Incorrect redirect_uri");
        }
        if (codeVerifier == null || !VERIFIER.matcher(codeVerifier).matches()) {
            throw invalidGrant("PKCE code verifier not specified or malformed");
        }
        byte[] expected = grant.codeChallenge().getBytes(StandardCharsets.US_ASCII);
        byte[] actual = challengeOf(codeVerifier).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw invalidGrant("PKCE verification failed: code verifier does not match the challenge");
        }
        return grant;
    }

    private static TokenRequestException invalidGrant(String description) {
        return new TokenRequestException("invalid_grant", description, 400);
    }
}
