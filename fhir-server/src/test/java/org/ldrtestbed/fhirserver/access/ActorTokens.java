package org.ldrtestbed.fhirserver.access;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.ldrtestbed.fhirserver.testsupport.RealKeycloak;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.contract.TokenClient;

/**
 * Bearer tokens from the testbed on that port for the realm's actors: a user by name, a client as
 * {@code client:ID}. Each is fetched once, so a test class asks the identity provider once an actor.
 */
final class ActorTokens {

    private final RealmDefinition realm = RealmFiles.load("classpath:" + RealKeycloak.REALM_RESOURCE);
    private final TokenClient tokenClient;
    private final Map<String, String> tokens = new HashMap<>();

    ActorTokens(int port) {
        this.tokenClient = new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed"));
    }

    synchronized String token(String as) {
        return tokens.computeIfAbsent(as, a -> {
            if (a.startsWith("client:")) {
                String client = a.substring("client:".length());
                return tokenClient.forClient(
                        client, realm.client(client).orElseThrow().secret());
            }
            return tokenClient.forUser(MatrixActors.PUBLIC_CLIENT, realm.user(a).orElseThrow(), MatrixActors.PASSWORD);
        });
    }
}
