package org.ldrtestbed.fhirserver.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ldrtestbed.fhirserver.contract.TestbedIg;

/**
 * Decides what becomes of a write, by the source that sends it (the token's client): its mode (off, warn, reject) and
 * the errors HAPI's instance validator finds against base R4 and, for a resource that claims one of them in {@code
 * meta.profile}, the profiles of the testbed's own IG ({@link TestbedIg}, the package {@code conform} validates
 * systems' messages against too). Only errors count: base R4's best-practice warnings (narrative, say) would mark
 * nearly every write a system sends. UK Core and NHS extensions are allowed; codes of systems the server holds no copy
 * of (SNOMED CT) are not checked.
 */
public final class WriteValidation {

    /** One error, located by FHIRPath. */
    public record Finding(String location, String message) {}

    /** The source's mode and what the validator found (nothing when the mode is off). */
    public record Decision(ValidationMode mode, List<Finding> findings) {
        public boolean refused() {
            return mode == ValidationMode.REJECT && !findings.isEmpty();
        }

        public boolean warned() {
            return mode == ValidationMode.WARN && !findings.isEmpty();
        }
    }

    private final ValidationMode defaultMode;
    private final Map<String, ValidationMode> sources;
    private final FhirValidator validator;

    public WriteValidation(FhirContext fhirContext, ValidationMode defaultMode, Map<String, ValidationMode> sources) {
        this.defaultMode = defaultMode;
        this.sources = Map.copyOf(sources);
        NpmPackageValidationSupport testbedIg = new NpmPackageValidationSupport(fhirContext);
        try {
            testbedIg.loadPackageFromClasspath(TestbedIg.PACKAGE);
        } catch (IOException e) {
            throw new UncheckedIOException("The testbed's IG package " + TestbedIg.PACKAGE + " does not load", e);
        }
        ValidationSupportChain support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhirContext),
                testbedIg,
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new CommonCodeSystemsTerminologyService(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext));
        FhirInstanceValidator instance = new FhirInstanceValidator(support);
        instance.setAnyExtensionsAllowed(true);
        this.validator = fhirContext.newValidator().registerValidatorModule(instance);
    }

    /**
     * What fits in a response header: the first findings within {@code maxChars} (locations and messages counted),
     * then one saying how many more there are. A header too long for the container would turn a write already
     * committed into a 500.
     */
    public static List<Finding> fitting(List<Finding> findings, int maxChars) {
        List<Finding> kept = new java.util.ArrayList<>();
        int used = 0;
        for (Finding f : findings) {
            int size = f.location().length() + f.message().length() + 64;
            if (used + size > maxChars) {
                kept.add(new Finding(
                        "(more)",
                        (findings.size() - kept.size()) + " more finding(s) not shown here: see the server log"));
                return kept;
            }
            used += size;
            kept.add(f);
        }
        return kept;
    }

    /** The mode for a source's writes: its own, else the default (also for a request without a token). */
    public ValidationMode modeOf(String clientId) {
        return clientId == null ? defaultMode : sources.getOrDefault(clientId, defaultMode);
    }

    public Decision decide(String clientId, IBaseResource resource) {
        ValidationMode mode = modeOf(clientId);
        if (mode == ValidationMode.OFF) {
            return new Decision(mode, List.of());
        }
        List<Finding> errors = validator.validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(m -> new Finding(
                        m.getLocationString() == null ? resource.fhirType() : m.getLocationString(), m.getMessage()))
                .toList();
        return new Decision(mode, errors);
    }
}
