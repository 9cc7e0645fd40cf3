package org.ldrtestbed.scenarios.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * What a journey's names must resolve against: the realm (users and roles), the care-system directory
 * (organisations with their care settings, sites and units, practitioners) and the flow catalogue (flows and their capabilities).
 */
record References(
        RealmDefinition realm,
        Set<String> roles,
        Set<String> organisations,
        Set<String> locations,
        Set<String> practitioners,
        Map<String, String> settings,
        FlowCatalogue catalogue) {

    static final String REALM = "classpath:identity/ldr-testbed-realm.json";
    static final String DIRECTORY = "classpath:directory/oxfordshire.yaml";

    /** The testbed's own realm, directory and catalogue. */
    static References shipped() {
        return of(REALM, DIRECTORY, FlowCatalogue.DEFAULT_LOCATION);
    }

    static References of(String realmLocation, String directoryLocation, String catalogueLocation) {
        RealmDefinition realm = RealmFiles.load(realmLocation);
        Set<String> roles = new TreeSet<>();
        realm.users().forEach(u -> roles.addAll(u.realmRoles()));
        realmRoles(realmLocation).forEach(r -> roles.add(r.path("name").asText()));
        CareSystemDirectory directory = CareSystemDirectory.load(directoryLocation);
        Set<String> organisations = new TreeSet<>();
        Set<String> locations = new TreeSet<>();
        Map<String, String> settings = new HashMap<>();
        for (CareSystemDirectory.Organisation o : directory.organisations()) {
            organisations.add(o.ods());
            settings.put(o.ods(), o.setting());
            for (CareSystemDirectory.Site site : o.sites()) {
                locations.add(site.ods());
                site.units().forEach(u -> locations.add(u.code()));
            }
        }
        Set<String> practitioners = new TreeSet<>();
        directory.practitioners().forEach(p -> practitioners.add(p.sdsId()));
        return new References(
                realm, roles, organisations, locations, practitioners, settings, FlowCatalogue.load(catalogueLocation));
    }

    List<RealmUser> users() {
        return realm.users();
    }

    Set<String> flowCodes() {
        Set<String> codes = new TreeSet<>();
        catalogue.flows().forEach(f -> codes.add(f.code()));
        return codes;
    }

    Set<String> capabilities() {
        Set<String> capabilities = new TreeSet<>();
        catalogue.flows().stream().map(SharingFlow::capability).forEach(capabilities::add);
        return capabilities;
    }

    private static Collection<JsonNode> realmRoles(String location) {
        try (InputStream in = new DefaultResourceLoader().getResource(location).getInputStream()) {
            List<JsonNode> roles = new java.util.ArrayList<>();
            new ObjectMapper().readTree(in).path("roles").path("realm").forEach(roles::add);
            return roles;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read realm " + location, e);
        }
    }
}
