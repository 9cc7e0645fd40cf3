package org.ldrtestbed.fhirserver;

import org.ldrtestbed.identity.IdentityProperties;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.routes.delivery.SharedRecordEndpoint;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.stereotype.Component;

/** The routes deliver into this server, over HTTP like any other system, so delivery is secured and audited. */
@Component
class LocalSharedRecordEndpoint implements SharedRecordEndpoint {

    private final WebServerApplicationContext context;
    private final FhirServerProperties properties;
    private final IdentityProperties identity;
    private final RealmDefinition realm;

    LocalSharedRecordEndpoint(
            WebServerApplicationContext context,
            FhirServerProperties properties,
            IdentityProperties identity,
            RealmDefinition realm) {
        this.context = context;
        this.properties = properties;
        this.identity = identity;
        this.realm = realm;
    }

    @Override
    public String fhirBaseUrl() {
        return root() + "/fhir";
    }

    @Override
    public String issuerUrl() {
        return identity.mode() == IdentityProperties.Mode.KEYCLOAK
                ? identity.issuerUri().toString()
                : root() + "/realms/" + realm.realm();
    }

    private String root() {
        if (properties.publicBaseUrl() != null && !properties.publicBaseUrl().isBlank()) {
            return properties.publicBaseUrl().replaceAll("/+$", "");
        }
        return "http://localhost:" + context.getWebServer().getPort();
    }
}
