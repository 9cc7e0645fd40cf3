package org.ldrtestbed.identity.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;

/**
 * Whether a {@code redirect_uri} is one a client registered, as Keycloak decides it: an exact match, or a prefix
 * match against a registration ending in {@code *}. A loopback redirect ({@code http://127.0.0.1} or
 * {@code http://localhost}) may carry any port (RFC 8252 §7.3: a native or local app listens on an ephemeral one), so
 * its port is ignored when matching. A URI with a fragment or user info is never accepted (RFC 6749 §3.1.2).
 */
final class RedirectUris {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost");

    private RedirectUris() {}

    static boolean registered(List<String> registrations, String redirectUri) {
        if (redirectUri == null || redirectUri.isBlank()) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(redirectUri);
        } catch (URISyntaxException e) {
            return false;
        }
        if (!uri.isAbsolute()
                || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null
                || uri.getHost() == null) {
            return false;
        }
        if (matches(registrations, redirectUri)) {
            return true;
        }
        return "http".equals(uri.getScheme())
                && LOOPBACK.contains(uri.getHost())
                && uri.getPort() != -1
                && matches(registrations, withoutPort(uri));
    }

    private static boolean matches(List<String> registrations, String redirectUri) {
        return registrations.stream()
                .anyMatch(r -> r.endsWith("*")
                        ? redirectUri.startsWith(r.substring(0, r.length() - 1))
                        : redirectUri.equals(r));
    }

    private static String withoutPort(URI uri) {
        String rest = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            rest += "?" + uri.getRawQuery();
        }
        return uri.getScheme() + "://" + uri.getHost() + rest;
    }
}
