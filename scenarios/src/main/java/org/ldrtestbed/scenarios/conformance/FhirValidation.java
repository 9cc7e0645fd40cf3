package org.ldrtestbed.scenarios.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

/**
 * What a system under test sends or answers in FHIR, checked by HAPI's instance validator against base R4 (its
 * structure, cardinalities, invariants and required bindings of FHIR's own code systems). Codes of systems the testbed
 * holds no copy of (SNOMED CT, dm+d) are not checked, and say so as information. Against a profile too: the testbed's
 * own IG ({@link IgPackages}) and any packages given.
 */
public final class FhirValidation {

    private final FhirContext fhirContext;
    private final FhirValidator validator;

    public FhirValidation(FhirContext fhirContext) {
        this(fhirContext, List.of());
    }

    /**
     * @param packages FHIR packages (.tgz) whose profiles may be validated against, besides the testbed's IG
     * @throws IgPackages.NotAPackageException naming a package file that is missing or not a FHIR package
     */
    public FhirValidation(FhirContext fhirContext, List<Path> packages) {
        this.fhirContext = fhirContext;
        ValidationSupportChain support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhirContext),
                IgPackages.load(fhirContext, packages),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new CommonCodeSystemsTerminologyService(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext));
        FhirInstanceValidator instance = new FhirInstanceValidator(support);
        // UK Core and NHS extensions are allowed; whether they are right is a profile's to say (an IG package).
        instance.setAnyExtensionsAllowed(true);
        this.validator = fhirContext.newValidator().registerValidatorModule(instance);
    }

    /** One finding, located by FHIRPath (or line:column when the text does not parse). */
    public record Issue(String severity, String location, String message) {
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isError() {
            return severity.equals("error") || severity.equals("fatal");
        }
    }

    /** The findings on one resource as text (JSON or XML); a text that does not parse is one fatal finding. */
    public List<Issue> validate(String resource) {
        return validate(resource, new ValidationOptions());
    }

    /**
     * The findings on one resource against a profile (its canonical URL, e.g. {@link
     * IgPackages#DISCHARGE_SUMMARY_DOCUMENT}) as well as base R4; a profile no package holds is an error finding.
     */
    public List<Issue> validate(String resource, String profileUrl) {
        return validate(resource, new ValidationOptions().addProfile(profileUrl));
    }

    private List<Issue> validate(String resource, ValidationOptions options) {
        ValidationResult result;
        try {
            result = validator.validateWithResult(resource, options);
        } catch (RuntimeException e) {
            return List.of(new Issue("fatal", "(body)", "not a FHIR resource: " + e.getMessage()));
        }
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() != ResultSeverityEnum.INFORMATION)
                .map(m -> new Issue(
                        m.getSeverity().getCode(),
                        m.getLocationString() == null
                                ? (m.getLocationLine() == null
                                        ? "(body)"
                                        : m.getLocationLine() + ":" + m.getLocationCol())
                                : m.getLocationString(),
                        m.getMessage()))
                .toList();
    }

    public FhirContext fhirContext() {
        return fhirContext;
    }
}
