package org.ldrtestbed.fhirserver.contract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The care-system directory file: organisations with their sites and units, and the professionals who work there.
 * Data, not code: see {@code directory/oxfordshire.yaml}.
 *
 * @param area the county or place the directory covers, written on every address
 * @param organisations organisations with their sites and units
 * @param practitioners professionals and their roles
 */
public record CareSystemDirectory(String area, List<Organisation> organisations, List<Professional> practitioners) {

    public CareSystemDirectory {
        organisations = organisations == null ? List.of() : List.copyOf(organisations);
        practitioners = practitioners == null ? List.of() : List.copyOf(practitioners);
    }

    public Optional<Organisation> organisation(String ods) {
        return organisations.stream().filter(o -> o.ods().equals(ods)).findFirst();
    }

    /** The care setting of an organisation, e.g. {@code acute}; empty for unknown codes. */
    public Optional<String> settingOf(String ods) {
        return organisation(ods).map(Organisation::setting);
    }

    public static CareSystemDirectory load(String location) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (InputStream in = new DefaultResourceLoader().getResource(location).getInputStream()) {
            return yaml.readValue(in, CareSystemDirectory.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read care-system directory " + location + ": " + e.getMessage(), e);
        }
    }

    /** An organisation with an ODS-style code. */
    public record Organisation(
            String ods, String name, String setting, String locality, String partOf, List<Site> sites) {
        public Organisation {
            sites = sites == null ? List.of() : List.copyOf(sites);
        }
    }

    /** A site (hospital, team base) of an organisation, with its units (wards, departments). */
    public record Site(String ods, String name, String locality, List<Unit> units) {
        public Site {
            units = units == null ? List.of() : List.copyOf(units);
        }
    }

    /** A ward or department within a site. */
    public record Unit(String code, String name) {}

    /** A professional and the roles they hold. */
    public record Professional(
            String sdsId, String prefix, String given, String family, String username, List<Role> roles) {
        public Professional {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    /** A role held at an organisation (and optionally a site), with testbed role and SDS job role codes. */
    public record Role(String organisation, String site, String role, String jobRole) {}
}
