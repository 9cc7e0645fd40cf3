package org.ldrtestbed.fhirserver.prescribing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * Medicines by allergen class ({@code prescribing/drug-allergen-classes.yaml}): an allergy to one of a class's
 * substances conflicts with a prescription of one of its medications. Codes are SNOMED CT (dm+d for medicines).
 */
public record AllergenClasses(List<AllergenClass> classes) {

    public static final String DEFAULT_LOCATION = "classpath:prescribing/drug-allergen-classes.yaml";

    public AllergenClasses {
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /** One class: the substances an allergy may name, and the medicines that contain them. */
    public record AllergenClass(String code, String title, List<Concept> substances, List<Concept> medications) {
        public AllergenClass {
            substances = substances == null ? List.of() : List.copyOf(substances);
            medications = medications == null ? List.of() : List.copyOf(medications);
        }

        public boolean hasSubstance(String code) {
            return substances.stream().anyMatch(c -> c.code().equals(code));
        }

        public boolean hasMedication(String code) {
            return medications.stream().anyMatch(c -> c.code().equals(code));
        }
    }

    /** A SNOMED CT concept. */
    public record Concept(String code, String display) {}

    public static AllergenClasses load(String location) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (InputStream in = new DefaultResourceLoader().getResource(location).getInputStream()) {
            return yaml.readValue(in, AllergenClasses.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read allergen classes " + location + ": " + e.getMessage(), e);
        }
    }
}
