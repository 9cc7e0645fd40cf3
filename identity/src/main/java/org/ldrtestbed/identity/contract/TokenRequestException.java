package org.ldrtestbed.identity.contract;

/** A refused token request, carrying the OAuth 2.0 error code and the HTTP status Keycloak would answer with. */
public final class TokenRequestException extends RuntimeException {

    private final String error;
    private final int status;

    public TokenRequestException(String error, String description, int status) {
        super(description);
        this.error = error;
        this.status = status;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }
}
