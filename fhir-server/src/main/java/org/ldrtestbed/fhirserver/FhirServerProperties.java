package org.ldrtestbed.fhirserver;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Map;
import org.ldrtestbed.fhirserver.validation.ValidationMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * FHIR server settings ({@code testbed.fhir-server.*}).
 *
 * @param directory the care-system directory loaded at start-up
 * @param loadDirectory whether to load it (off when pointing the server at a store that already has one)
 * @param publicBaseUrl the base URL clients use, when it is not {@code http://localhost:<port>} (behind a proxy)
 * @param hibernateDialect HAPI's dialect for the store ({@code HapiFhirH2Dialect}, {@code HapiFhirPostgresDialect})
 * @param defaultPageSize search results per page when the client does not say
 * @param maxPageSize the most a client may ask for in one page
 * @param accessControl whether the access policy (and its audit) applies; off only to measure what it costs
 * @param maxRequestSize the largest request body {@code /fhir} accepts (413 above it): room for one patient's full
 *     transaction (a Synthea patient's reaches about 10 MB), not for a flood
 * @param validation how clients' writes are validated against base FHIR R4, per source
 */
@Validated
@ConfigurationProperties("testbed.fhir-server")
public record FhirServerProperties(
        @NotBlank @DefaultValue("classpath:directory/oxfordshire.yaml")
        String directory,

        @DefaultValue("true") boolean loadDirectory,
        String publicBaseUrl,

        @NotBlank @DefaultValue("ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect")
        String hibernateDialect,

        @Min(1) @DefaultValue("20") int defaultPageSize,
        @Min(1) @DefaultValue("200") int maxPageSize,

        @DefaultValue("true") boolean accessControl,

        @NotNull @DefaultValue("20MB") DataSize maxRequestSize,

        @Valid @NotNull @DefaultValue Validation validation) {

    /**
     * Validation of writes ({@code testbed.fhir-server.validation.*}).
     *
     * @param defaultMode {@code default}: off, warn or reject, for every source not named (and requests without a
     *     token)
     * @param sources the mode for a source, by its client id, e.g. {@code sources.acute-integration: reject}
     */
    public record Validation(
            @Name("default") @NotNull @DefaultValue("off") ValidationMode defaultMode,
            @NotNull @DefaultValue Map<String, @NotNull ValidationMode> sources) {}
}
