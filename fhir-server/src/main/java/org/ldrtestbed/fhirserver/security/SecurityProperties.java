package org.ldrtestbed.fhirserver.security;

import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Web security settings ({@code testbed.security.*}).
 *
 * @param corsOrigins the origins (e.g. {@code http://localhost:5173}) whose browser apps may call {@code /fhir/**} and
 *     the embedded identity provider across origins (CORS), or {@code *} for every one (the default). {@code *} is
 *     safe enough here because no cookie or other ambient credential is ever honoured: each request carries its
 *     bearer token explicitly, and credentials are never allowed in CORS.
 */
@Validated
@ConfigurationProperties("testbed.security")
public record SecurityProperties(
        @NotEmpty @DefaultValue("*") List<String> corsOrigins) {}
