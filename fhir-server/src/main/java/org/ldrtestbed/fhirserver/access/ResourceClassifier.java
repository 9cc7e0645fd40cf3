package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.util.MetaUtil;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseCoding;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.identity.access.AccessPolicy;
import org.ldrtestbed.identity.access.AccessPolicy.ResourceClass;
import org.ldrtestbed.identity.contract.FhirPathTruth;
import org.ldrtestbed.routes.contract.CareSettings;

/** Which class of the access policy an entry is in, who wrote it, and which sensitive categories its labels carry. */
public final class ResourceClassifier {

    /** Patient data of a type the policy names in no class: granted to no professional role. */
    public static final String UNCLASSIFIED = "unclassified";

    private final FhirContext fhirContext;
    private final AccessPolicy policy;
    private final CareSettings settings;
    private final IFhirPath fhirPath;

    public ResourceClassifier(FhirContext fhirContext, AccessPolicy policy, CareSettings settings) {
        this.fhirContext = fhirContext;
        this.policy = policy;
        this.settings = settings;
        this.fhirPath = fhirContext.newFhirPath();
    }

    /** The entry's class, or empty when it is not patient data (directory entries, slots, the server's own). */
    public Optional<String> classOf(IBaseResource entry) {
        String type = fhirContext.getResourceType(entry);
        Optional<String> writerSetting = writerOrganisation(entry).flatMap(settings::settingOf);
        for (ResourceClass candidate : policy.classes()) {
            if (!candidate.writtenBySetting().isEmpty()) {
                if (writerSetting.isPresent() && candidate.writtenBySetting().contains(writerSetting.get())) {
                    return Optional.of(candidate.code());
                }
                continue;
            }
            String where = candidate.where().get(type);
            if (where != null && isTrue(entry, where)) {
                return Optional.of(candidate.code());
            }
            if (candidate.types().contains(type)) {
                return Optional.of(candidate.code());
            }
        }
        return isPatientData(type) ? Optional.of(UNCLASSIFIED) : Optional.empty();
    }

    /**
     * Types that hold other entries (a stored document Bundle, a Binary's content): part of the record of every
     * patient what they hold belongs to.
     */
    public static final List<String> CONTAINERS = List.of("Bundle", "Binary");

    /** Patient data: the Patient itself, a type that belongs in a patient's compartment, or a container. */
    public boolean isPatientData(String type) {
        return type.equals("Patient")
                || CONTAINERS.contains(type)
                || !fhirContext
                        .getResourceDefinition(type)
                        .getSearchParamsForCompartmentName("Patient")
                        .isEmpty()
                || !patientElements(type).isEmpty();
    }

    /**
     * Elements that name the patient in types R4 leaves out of the patient compartment (Task.for, for one): they are
     * still part of the patient's record.
     */
    public List<String> patientElements(String type) {
        return PATIENT_ELEMENTS.stream()
                .filter(name -> fhirContext.getResourceDefinition(type).getChildByName(name) != null)
                .toList();
    }

    private static final List<String> PATIENT_ELEMENTS = List.of("subject", "patient", "for", "beneficiary");

    public Optional<String> writerOrganisation(IBaseResource entry) {
        return RecordAttribution.organisationOf(MetaUtil.getSource(fhirContext, entry.getMeta()));
    }

    /** The sensitive categories of the entry's labels, and of every entry a stored Bundle holds. */
    public Set<String> sensitiveCategories(IBaseResource entry) {
        Set<String> categories = new TreeSet<>();
        if (entry instanceof org.hl7.fhir.r4.model.Bundle bundle) {
            bundle.getEntry().stream()
                    .filter(e -> e.getResource() != null)
                    .forEach(e -> categories.addAll(sensitiveCategories(e.getResource())));
        }
        List<? extends IBaseCoding> labels = entry.getMeta().getSecurity();
        for (IBaseCoding label : labels) {
            if (label.getSystem() != null && label.getCode() != null) {
                policy.sensitiveCategory(label.getSystem(), label.getCode()).ifPresent(categories::add);
            }
        }
        return categories;
    }

    private boolean isTrue(IBaseResource entry, String expression) {
        return FhirPathTruth.isTrue(fhirPath, entry, expression);
    }
}
