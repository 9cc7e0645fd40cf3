package org.ldrtestbed.identity;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one issuer whose tokens this server accepts, and the name the embedded issuer signs its tokens with. It is
 * configuration ({@code testbed.identity.issuer-uri}), or, for the embedded issuer on a port chosen at start-up, worked
 * out once from the local port the server listens on; never from what a request says about the host.
 */
public final class TrustedIssuer {

    private final AtomicReference<String> name = new AtomicReference<>();

    /** An issuer known from configuration. */
    public static TrustedIssuer of(String name) {
        TrustedIssuer issuer = new TrustedIssuer();
        issuer.settle(name);
        return issuer;
    }

    /** An issuer whose name is settled later, once, when the server knows its port. */
    public static TrustedIssuer unsettled() {
        return new TrustedIssuer();
    }

    /** The issuer's name (realm URL), without a trailing slash. */
    public String name() {
        String settled = name.get();
        if (settled == null) {
            throw new IllegalStateException("The issuer is not known yet: the web server has not started");
        }
        return settled;
    }

    public boolean isSettled() {
        return name.get() != null;
    }

    /** Sets the name; a second, different name is refused, so the issuer cannot change while the server runs. */
    public void settle(String issuer) {
        String normalised = Objects.requireNonNull(issuer, "issuer").replaceAll("/+$", "");
        if (!name.compareAndSet(null, normalised) && !name.get().equals(normalised)) {
            throw new IllegalStateException("The issuer is already " + name.get() + ", not " + normalised);
        }
    }
}
