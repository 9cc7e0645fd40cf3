package org.ldrtestbed.identity.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of a Keycloak realm export the testbed reads. The same file is imported into a real Keycloak, so field
 * names follow Keycloak's representation classes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RealmDefinition(
        String realm,
        List<RealmUser> users,
        List<RealmClient> clients,
        List<ClientScope> clientScopes,
        List<String> defaultDefaultClientScopes,
        List<String> defaultOptionalClientScopes) {

    public RealmDefinition {
        users = users == null ? List.of() : List.copyOf(users);
        clients = clients == null ? List.of() : List.copyOf(clients);
        clientScopes = clientScopes == null ? List.of() : List.copyOf(clientScopes);
        defaultDefaultClientScopes =
                defaultDefaultClientScopes == null ? List.of() : List.copyOf(defaultDefaultClientScopes);
        defaultOptionalClientScopes =
                defaultOptionalClientScopes == null ? List.of() : List.copyOf(defaultOptionalClientScopes);
    }

    public RealmDefinition(String realm, List<RealmUser> users, List<RealmClient> clients) {
        this(realm, users, clients, List.of(), List.of(), List.of());
    }

    /** This realm with further users beside its own (a journey's people, for one run). */
    public RealmDefinition withUsers(List<RealmUser> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<RealmUser> all = new java.util.ArrayList<>(users);
        all.addAll(more);
        return new RealmDefinition(
                realm, all, clients, clientScopes, defaultDefaultClientScopes, defaultOptionalClientScopes);
    }

    public Optional<ClientScope> clientScope(String name) {
        return clientScopes.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The client scopes a token for this client always carries: the client's own list or, when it names none, the
     * realm's defaults (as Keycloak's import assigns them). Only scopes the realm defines count.
     */
    public List<ClientScope> defaultScopesOf(RealmClient client) {
        return defined(
                client.defaultClientScopes() != null ? client.defaultClientScopes() : defaultDefaultClientScopes);
    }

    /** The client scopes a token for this client carries only when the token request asks for them by name. */
    public List<ClientScope> optionalScopesOf(RealmClient client) {
        return defined(
                client.optionalClientScopes() != null ? client.optionalClientScopes() : defaultOptionalClientScopes);
    }

    private List<ClientScope> defined(List<String> names) {
        return names.stream().flatMap(n -> clientScope(n).stream()).toList();
    }

    public Optional<RealmUser> user(String username) {
        return users.stream().filter(u -> u.username().equals(username)).findFirst();
    }

    public Optional<RealmClient> client(String clientId) {
        return clients.stream().filter(c -> c.clientId().equals(clientId)).findFirst();
    }

    /** A user; service accounts of confidential clients are users named {@code service-account-<clientId>}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RealmUser(
            String username,
            String firstName,
            String lastName,
            Boolean enabled,
            String serviceAccountClientId,
            List<Credential> credentials,
            List<String> realmRoles,
            Map<String, List<String>> attributes) {

        public RealmUser {
            credentials = credentials == null ? List.of() : List.copyOf(credentials);
            realmRoles = realmRoles == null ? List.of() : List.copyOf(realmRoles);
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        public boolean isEnabled() {
            return enabled == null || enabled;
        }

        public Optional<String> attribute(String name) {
            List<String> values = attributes.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        public boolean hasPassword(String password) {
            return credentials.stream()
                    .anyMatch(c -> "password".equals(c.type())
                            && c.value() != null
                            && c.value().equals(password));
        }
    }

    /** A plain-text credential as Keycloak's import accepts it (synthetic users only). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Credential(String type, String value) {}

    /**
     * An OIDC client: public (journey runner, SMART apps) or confidential with a service account (supplier systems).
     * {@code standardFlowEnabled} allows the authorization code grant, to the {@code redirectUris} only; the
     * attribute {@value #PKCE_METHOD} names the PKCE method Keycloak then demands.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RealmClient(
            String clientId,
            String secret,
            Boolean publicClient,
            Boolean directAccessGrantsEnabled,
            Boolean serviceAccountsEnabled,
            Boolean standardFlowEnabled,
            List<String> redirectUris,
            Map<String, String> attributes,
            List<String> defaultClientScopes,
            List<String> optionalClientScopes,
            List<ProtocolMapper> protocolMappers) {

        /** Keycloak's client attribute naming the PKCE method the client must use. */
        public static final String PKCE_METHOD = "pkce.code.challenge.method";

        /** Scope lists stay null when the file names none: Keycloak then applies the realm's defaults. */
        public RealmClient {
            redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
            defaultClientScopes = defaultClientScopes == null ? null : List.copyOf(defaultClientScopes);
            optionalClientScopes = optionalClientScopes == null ? null : List.copyOf(optionalClientScopes);
            protocolMappers = protocolMappers == null ? List.of() : List.copyOf(protocolMappers);
        }
    }

    /**
     * A Keycloak client scope: granted as a default or optional scope of a client; its name goes into the token's
     * {@code scope} claim unless its {@code include.in.token.scope} attribute is false; its protocol mappers add
     * claims.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ClientScope(String name, Map<String, String> attributes, List<ProtocolMapper> protocolMappers) {

        public ClientScope {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
            protocolMappers = protocolMappers == null ? List.of() : List.copyOf(protocolMappers);
        }

        public boolean includedInTokenScope() {
            return !"false".equals(attributes.get("include.in.token.scope"));
        }
    }

    /** A Keycloak protocol mapper; the embedded issuer implements the attribute and realm-role mappers. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ProtocolMapper(String name, String protocolMapper, Map<String, String> config) {

        public ProtocolMapper {
            config = config == null ? Map.of() : Map.copyOf(config);
        }
    }
}
