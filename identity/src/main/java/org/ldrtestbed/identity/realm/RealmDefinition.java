package org.ldrtestbed.identity.realm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of a Keycloak realm export the testbed reads. The same file is imported into a real Keycloak, so field
 * names follow Keycloak's representation classes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RealmDefinition(String realm, List<RealmUser> users, List<RealmClient> clients) {

    public RealmDefinition {
        users = users == null ? List.of() : List.copyOf(users);
        clients = clients == null ? List.of() : List.copyOf(clients);
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

    /** An OIDC client: public (journey runner) or confidential with a service account (supplier systems). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RealmClient(
            String clientId,
            String secret,
            Boolean publicClient,
            Boolean directAccessGrantsEnabled,
            Boolean serviceAccountsEnabled,
            List<ProtocolMapper> protocolMappers) {

        public RealmClient {
            protocolMappers = protocolMappers == null ? List.of() : List.copyOf(protocolMappers);
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
