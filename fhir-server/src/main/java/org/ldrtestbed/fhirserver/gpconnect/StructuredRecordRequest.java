package org.ldrtestbed.fhirserver.gpconnect;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.ldrtestbed.identity.contract.NhsNumber;

/**
 * What a GP Connect Access Record Structured request asks for: {@code patientNHSNumber} (valueIdentifier in the NHS
 * number system), {@code includeAllergies} with its part {@code includeResolvedAllergies} (valueBoolean) and {@code
 * includeMedication} with its optional part {@code medicationSearchFromDate} (valueDate). Read as the reference GP
 * system reads it (a request it answers, this answers the same way): an include without its part includes
 * everything of its kind; what is there must be well formed, and a parameter the operation does not define is refused.
 *
 * @param nhsNumber the NHS number asked for, Modulus 11 valid
 * @param allergies whether allergies are asked for
 * @param resolvedAllergies whether resolved allergies are too
 * @param medication whether medication is asked for
 * @param medicationFrom the earliest date medication is asked from, if any
 */
public record StructuredRecordRequest(
        String nhsNumber,
        boolean allergies,
        boolean resolvedAllergies,
        boolean medication,
        Optional<LocalDate> medicationFrom) {

    static final String PATIENT_NHS_NUMBER = "patientNHSNumber";
    static final String INCLUDE_ALLERGIES = "includeAllergies";
    static final String INCLUDE_RESOLVED_ALLERGIES = "includeResolvedAllergies";
    static final String INCLUDE_MEDICATION = "includeMedication";
    static final String MEDICATION_SEARCH_FROM_DATE = "medicationSearchFromDate";

    private static final Set<String> DEFINED = Set.of(PATIENT_NHS_NUMBER, INCLUDE_ALLERGIES, INCLUDE_MEDICATION);

    /** A request the operation cannot answer: the parameter at fault, and what is wrong with it. */
    public static final class Invalid extends IllegalArgumentException {
        private final String code;

        Invalid(String code, String message) {
            super(message);
            this.code = code;
        }

        /** GP Connect's error code for it: {@code INVALID_NHS_NUMBER}, {@code INVALID_PARAMETER}. */
        public String code() {
            return code;
        }
    }

    /** The request the Parameters make. */
    public static StructuredRecordRequest of(Parameters parameters) {
        for (ParametersParameterComponent parameter : parameters.getParameter()) {
            if (!DEFINED.contains(parameter.getName())) {
                throw invalid(parameter.getName() + " is not a parameter of $gpc.getstructuredrecord");
            }
        }
        Identifier identifier = once(parameters, PATIENT_NHS_NUMBER)
                .map(StructuredRecordRequest::identifier)
                .orElseThrow(() -> invalid(PATIENT_NHS_NUMBER + " (valueIdentifier) is required"));
        if (!NhsNumber.SYSTEM.equals(identifier.getSystem())) {
            throw invalid(PATIENT_NHS_NUMBER + ".system must be " + NhsNumber.SYSTEM);
        }
        String nhsNumber = identifier.getValue();
        if (nhsNumber == null || !NhsNumber.isValid(nhsNumber)) {
            throw new Invalid(
                    "INVALID_NHS_NUMBER",
                    PATIENT_NHS_NUMBER + " '" + nhsNumber + "' is not a valid NHS number (ten digits, Modulus 11)");
        }
        Optional<ParametersParameterComponent> allergies = once(parameters, INCLUDE_ALLERGIES);
        Optional<ParametersParameterComponent> medication = once(parameters, INCLUDE_MEDICATION);
        boolean resolved = allergies
                .flatMap(p -> part(p, INCLUDE_RESOLVED_ALLERGIES))
                .map(StructuredRecordRequest::resolvedAllergies)
                .orElse(true);
        Optional<LocalDate> from =
                medication.flatMap(p -> part(p, MEDICATION_SEARCH_FROM_DATE)).map(StructuredRecordRequest::searchFrom);
        return new StructuredRecordRequest(nhsNumber, allergies.isPresent(), resolved, medication.isPresent(), from);
    }

    private static Optional<ParametersParameterComponent> once(Parameters parameters, String name) {
        List<ParametersParameterComponent> named = parameters.getParameter().stream()
                .filter(p -> name.equals(p.getName()))
                .toList();
        if (named.size() > 1) {
            throw invalid(name + " is given " + named.size() + " times");
        }
        return named.stream().findFirst();
    }

    /** The part of an include; any other part is refused. */
    private static Optional<ParametersParameterComponent> part(ParametersParameterComponent include, String name) {
        for (ParametersParameterComponent part : include.getPart()) {
            if (!name.equals(part.getName())) {
                throw invalid(include.getName() + "." + part.getName() + " is not a part of " + include.getName());
            }
        }
        if (include.getPart().size() > 1) {
            throw invalid(include.getName() + "." + name + " is given "
                    + include.getPart().size() + " times");
        }
        return include.getPart().stream().findFirst();
    }

    private static Invalid invalid(String message) {
        return new Invalid("INVALID_PARAMETER", message);
    }

    private static Identifier identifier(ParametersParameterComponent parameter) {
        if (parameter.getValue() instanceof Identifier identifier) {
            return identifier;
        }
        throw invalid(PATIENT_NHS_NUMBER + " must be a valueIdentifier");
    }

    private static boolean resolvedAllergies(ParametersParameterComponent part) {
        if (part.getValue() instanceof BooleanType value && value.getValue() != null) {
            return value.booleanValue();
        }
        throw invalid(INCLUDE_ALLERGIES + "." + INCLUDE_RESOLVED_ALLERGIES + " must be a valueBoolean");
    }

    private static LocalDate searchFrom(ParametersParameterComponent part) {
        if (part.getValue() instanceof DateType value && value.getValue() != null) {
            return LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay());
        }
        throw invalid(INCLUDE_MEDICATION + "." + MEDICATION_SEARCH_FROM_DATE + " must be a valueDate");
    }
}
