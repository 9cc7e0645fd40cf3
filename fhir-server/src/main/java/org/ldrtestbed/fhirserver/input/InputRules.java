package org.ldrtestbed.fhirserver.input;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.fhirserver.directory.DirectoryResources;
import org.ldrtestbed.identity.contract.NhsNumber;

/**
 * What a write must get right about the identifiers the shared record is keyed on: every NHS number is ten digits
 * with a valid Modulus 11 check digit, every ODS code and every organisation reference names an organisation (or
 * site) of the care-system directory. Checked wherever they appear: identifiers, identifier references, literal
 * references and conditional references ({@code Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|...}), and in a
 * transaction's conditional URLs. Plain: no HAPI server types, so it is tested without a server.
 */
public final class InputRules {

    private final FhirTerser terser;
    private final Set<String> organisations;
    private final Set<String> sites;

    public InputRules(FhirContext fhirContext, CareSystemDirectory directory) {
        this.terser = fhirContext.newTerser();
        this.organisations = directory.organisations().stream()
                .map(CareSystemDirectory.Organisation::ods)
                .collect(Collectors.toUnmodifiableSet());
        this.sites = directory.organisations().stream()
                .flatMap(o -> o.sites().stream())
                .map(CareSystemDirectory.Site::ods)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The problems of one resource, and of every resource it holds (contained, or a Bundle's entries). */
    public List<String> problems(IBaseResource resource) {
        List<String> problems = new ArrayList<>();
        collect(resource, problems);
        return distinct(problems);
    }

    private void collect(IBaseResource resource, List<String> problems) {
        for (Identifier identifier : terser.getAllPopulatedChildElementsOfType(resource, Identifier.class)) {
            identifierProblem(identifier.getSystem(), identifier.getValue()).ifPresent(problems::add);
        }
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            if (reference.hasReference()) {
                problems.addAll(referenceProblems(reference.getReference()));
            }
        }
        // The terser stops at resources held inside others: a document Bundle's entries, contained resources.
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().stream()
                    .filter(Bundle.BundleEntryComponent::hasResource)
                    .forEach(e -> collect(e.getResource(), problems));
        }
        if (resource instanceof DomainResource domain) {
            domain.getContained().forEach(c -> collect(c, problems));
        }
    }

    /**
     * The problems of a transaction or batch as a whole: each entry's resource, and the conditional URLs of its
     * request (conditional update, delete and patch URLs, {@code ifNoneExist}), each named by its entry.
     */
    public List<String> entryProblems(Bundle bundle) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
            List<String> found = new ArrayList<>();
            if (entry.getResource() != null) {
                found.addAll(problems(entry.getResource()));
            }
            if (entry.getRequest().hasUrl()) {
                found.addAll(queryProblems(entry.getRequest().getUrl()));
            }
            if (entry.getRequest().hasIfNoneExist()) {
                found.addAll(queryProblems(entry.getRequest().getIfNoneExist()));
            }
            for (String problem : distinct(found)) {
                problems.add("Bundle.entry[" + i + "]: " + problem);
            }
        }
        return problems;
    }

    /** The problems of the identifier parameters of a conditional URL or query string ({@code Type?a=b&...}). */
    public List<String> queryProblems(String url) {
        int question = url.indexOf('?');
        String query = question < 0 ? url : url.substring(question + 1);
        List<String> problems = new ArrayList<>();
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String name = decode(parameter.substring(0, equals));
            // identifier, patient.identifier, subject:Patient.identifier, organization.identifier, ...
            if (!name.equals("identifier") && !name.endsWith(".identifier")) {
                continue;
            }
            for (String token : decode(parameter.substring(equals + 1)).split(",")) {
                int bar = token.indexOf('|');
                if (bar > 0) {
                    identifierProblem(token.substring(0, bar), token.substring(bar + 1))
                            .ifPresent(problems::add);
                }
            }
        }
        return distinct(problems);
    }

    private List<String> referenceProblems(String reference) {
        if (reference.startsWith("#") || reference.startsWith("urn:")) {
            return List.of();
        }
        if (reference.contains("?")) {
            return queryProblems(reference);
        }
        IdType id = new IdType(reference);
        if ("Organization".equals(id.getResourceType()) && id.hasIdPart() && !organisations.contains(id.getIdPart())) {
            return List.of("Reference " + reference + " names no organisation of the care-system directory");
        }
        return List.of();
    }

    private Optional<String> identifierProblem(String system, String value) {
        if (system == null) {
            return Optional.empty();
        }
        return switch (system) {
            case NhsNumber.SYSTEM ->
                NhsNumber.isValid(value)
                        ? Optional.empty()
                        : Optional.of("NHS number '" + value
                                + "' is not valid: an NHS number is ten digits with a Modulus 11 check digit");
            case DirectoryResources.ODS_ORGANISATION ->
                organisations.contains(value)
                        ? Optional.empty()
                        : Optional.of("ODS organisation code '" + value
                                + "' is not an organisation of the care-system directory");
            case DirectoryResources.ODS_SITE ->
                sites.contains(value)
                        ? Optional.empty()
                        : Optional.of("ODS site code '" + value + "' is not a site of the care-system directory");
            default -> Optional.empty();
        };
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static List<String> distinct(List<String> problems) {
        return problems.stream().distinct().toList();
    }
}
