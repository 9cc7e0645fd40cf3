package org.ldrtestbed.identity.contract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

/** Reads realm export files. */
public final class RealmFiles {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private RealmFiles() {}

    /** Loads a realm from a Spring resource location such as {@code classpath:identity/ldr-testbed-realm.json}. */
    public static RealmDefinition load(String location) {
        Resource resource = new DefaultResourceLoader().getResource(location);
        try (InputStream in = resource.getInputStream()) {
            RealmDefinition realm = JSON.readValue(in, RealmDefinition.class);
            if (realm.realm() == null || realm.realm().isBlank()) {
                throw new IllegalArgumentException("Realm file " + location + " has no 'realm' name");
            }
            return realm;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read realm file " + location, e);
        }
    }
}
