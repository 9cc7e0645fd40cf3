package org.ldrtestbed.identity.token;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmClient;
import org.ldrtestbed.identity.contract.TokenRequestException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * Keycloak's authorization endpoint ({@code /realms/<realm>/protocol/openid-connect/auth}) for the code grant with
 * PKCE, so a SMART app can launch standalone against the embedded issuer: {@code GET} shows a minimal sign-in form
 * (the realm's synthetic users and their passwords), its {@code POST} redirects to the app with a code. A thin
 * adapter: {@link EmbeddedTokenIssuer} decides. An unknown client or unregistered redirect URI gets an error page,
 * never a redirect (RFC 6749 §4.1.2.1); any other refusal is redirected to the app as {@code error=...}.
 */
@RestController
public class AuthorizationEndpoint {

    static final String PATH = "/realms/{realm}/protocol/openid-connect/auth";

    private final EmbeddedTokenIssuer issuer;

    public AuthorizationEndpoint(EmbeddedTokenIssuer issuer) {
        this.issuer = issuer;
    }

    /** The parameters of an authorization request, carried through the sign-in form as hidden fields. */
    record Request(
            String responseType,
            String clientId,
            String redirectUri,
            String scope,
            String state,
            String codeChallenge,
            String codeChallengeMethod,
            String nonce) {}

    @GetMapping(path = PATH)
    public ResponseEntity<String> signInForm(
            @PathVariable String realm,
            @RequestParam(name = "response_type", required = false) String responseType,
            @RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(name = "redirect_uri", required = false) String redirectUri,
            @RequestParam(name = "scope", required = false) String scope,
            @RequestParam(name = "state", required = false) String state,
            @RequestParam(name = "code_challenge", required = false) String codeChallenge,
            @RequestParam(name = "code_challenge_method", required = false) String codeChallengeMethod,
            @RequestParam(name = "nonce", required = false) String nonce) {
        Request request = new Request(
                responseType, clientId, redirectUri, scope, state, codeChallenge, codeChallengeMethod, nonce);
        return checked(realm, request, client -> html(HttpStatus.OK, form(realm, request, null)));
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<String> signIn(
            @PathVariable String realm,
            @RequestParam(name = "response_type", required = false) String responseType,
            @RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(name = "redirect_uri", required = false) String redirectUri,
            @RequestParam(name = "scope", required = false) String scope,
            @RequestParam(name = "state", required = false) String state,
            @RequestParam(name = "code_challenge", required = false) String codeChallenge,
            @RequestParam(name = "code_challenge_method", required = false) String codeChallengeMethod,
            @RequestParam(name = "nonce", required = false) String nonce,
            @RequestParam(name = "username", required = false) String username,
            @RequestParam(name = "password", required = false) String password) {
        Request request = new Request(
                responseType, clientId, redirectUri, scope, state, codeChallenge, codeChallengeMethod, nonce);
        return checked(realm, request, client -> {
            try {
                String code = issuer.authorize(client, redirectUri, scope, codeChallenge, nonce, username, password);
                return redirect(redirectUri, "code", code, state);
            } catch (TokenRequestException wrongPassword) {
                // As Keycloak: the form again, with the same request, and nothing said about which field was wrong.
                return html(HttpStatus.OK, form(realm, request, "Invalid username or password."));
            }
        });
    }

    private interface Continuation {
        ResponseEntity<String> proceed(RealmClient client);
    }

    private ResponseEntity<String> checked(String realm, Request request, Continuation next) {
        if (!issuer.realm().realm().equals(realm)) {
            return html(HttpStatus.NOT_FOUND, errorPage("Realm does not exist"));
        }
        RealmClient client;
        try {
            client = issuer.authorizationClient(request.clientId(), request.redirectUri());
        } catch (TokenRequestException e) {
            return html(HttpStatus.BAD_REQUEST, errorPage(e.getMessage()));
        }
        try {
            issuer.checkAuthorizationRequest(
                    client,
                    request.responseType(),
                    request.scope(),
                    request.codeChallenge(),
                    request.codeChallengeMethod());
        } catch (TokenRequestException e) {
            return redirect(request.redirectUri(), "error", e.error(), request.state(), e.getMessage());
        }
        return next.proceed(client);
    }

    private static ResponseEntity<String> redirect(String redirectUri, String name, String value, String state) {
        return redirect(redirectUri, name, value, state, null);
    }

    /** A 302 to the client's redirect URI with one parameter, its description if any, and the state it sent. */
    private static ResponseEntity<String> redirect(
            String redirectUri, String name, String value, String state, String description) {
        StringBuilder location = new StringBuilder(redirectUri)
                .append(redirectUri.contains("?") ? '&' : '?')
                .append(name)
                .append('=')
                .append(encode(value));
        if (description != null) {
            location.append("&error_description=").append(encode(description));
        }
        if (state != null) {
            location.append("&state=").append(encode(state));
        }
        return ResponseEntity.status(HttpStatus.FOUND)
                .location(URI.create(location.toString()))
                .cacheControl(CacheControl.noStore())
                .build();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static ResponseEntity<String> html(HttpStatus status, String body) {
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .body(body);
    }

    private String form(String realm, Request request, String error) {
        StringBuilder html = new StringBuilder(page("Sign in to " + realm))
                .append("<h1>Sign in to ")
                .append(escape(realm))
                .append("</h1>\n<p>")
                .append(escape(request.clientId()))
                .append(" asks to act for you")
                .append(request.scope() == null ? "" : " with scope " + escape(request.scope()))
                .append(". Synthetic users only.</p>\n");
        if (error != null) {
            html.append("<p role=\"alert\">").append(escape(error)).append("</p>\n");
        }
        html.append("<form method=\"post\" action=\"auth\">\n");
        hidden(html, "response_type", request.responseType());
        hidden(html, "client_id", request.clientId());
        hidden(html, "redirect_uri", request.redirectUri());
        hidden(html, "scope", request.scope());
        hidden(html, "state", request.state());
        hidden(html, "code_challenge", request.codeChallenge());
        hidden(html, "code_challenge_method", request.codeChallengeMethod());
        hidden(html, "nonce", request.nonce());
        return html.append("<p><label>Username <input name=\"username\" autocomplete=\"username\" required"
                        + " autofocus></label></p>\n")
                .append("<p><label>Password <input name=\"password\" type=\"password\""
                        + " autocomplete=\"current-password\" required></label></p>\n")
                .append("<p><button type=\"submit\">Sign in</button></p>\n</form>\n</body>\n</html>\n")
                .toString();
    }

    private static void hidden(StringBuilder html, String name, String value) {
        if (value != null) {
            html.append("<input type=\"hidden\" name=\"")
                    .append(name)
                    .append("\" value=\"")
                    .append(escape(value))
                    .append("\">\n");
        }
    }

    private static String errorPage(String message) {
        return page("Sign-in error") + "<h1>We are sorry...</h1>\n<p>" + escape(message) + "</p>\n</body>\n</html>\n";
    }

    private static String page(String title) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head>\n<body>\n";
    }

    private static String escape(String text) {
        return text == null ? "" : HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
    }
}
