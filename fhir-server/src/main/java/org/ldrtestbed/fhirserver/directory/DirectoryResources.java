package org.ldrtestbed.fhirserver.directory;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Organisation;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Professional;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Role;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Site;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Unit;

/**
 * Turns the directory into FHIR resources with ids derived from their codes, as one PUT transaction: loading twice
 * changes nothing, and a partial load cannot happen.
 */
public final class DirectoryResources {

    public static final String ODS_ORGANISATION = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String ODS_SITE = "https://fhir.nhs.uk/Id/ods-site-code";
    public static final String SDS_USER = "https://fhir.nhs.uk/Id/sds-user-id";
    public static final String SDS_ROLE_PROFILE = "https://fhir.nhs.uk/Id/sds-role-profile-id";
    public static final String SDS_JOB_ROLE = "https://fhir.hl7.org.uk/CodeSystem/UKCore-SDSJobRoleName";
    public static final String CARE_SETTING = "https://fhir.ldr-testbed.example/CodeSystem/care-setting";
    public static final String TESTBED_ROLE = "https://fhir.ldr-testbed.example/CodeSystem/testbed-role";
    public static final String UNIT_CODE = "https://fhir.ldr-testbed.example/Id/unit-code";

    private DirectoryResources() {}

    public static Bundle asTransaction(CareSystemDirectory directory) {
        List<Resource> resources = new ArrayList<>();
        for (Organisation organisation : directory.organisations()) {
            resources.add(organization(organisation, directory.area()));
            for (Site site : organisation.sites()) {
                Location siteLocation = location(site.ods(), ODS_SITE, site.name(), organisation.ods(), null);
                if (site.locality() != null) {
                    siteLocation.getAddress().setDistrict(site.locality()).setState(directory.area());
                }
                resources.add(siteLocation);
                for (Unit unit : site.units()) {
                    resources.add(location(unit.code(), UNIT_CODE, unit.name(), organisation.ods(), site.ods()));
                }
            }
        }
        for (Professional professional : directory.practitioners()) {
            resources.add(practitioner(professional));
            for (Role role : professional.roles()) {
                resources.add(practitionerRole(professional, role));
            }
        }
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource resource : resources) {
            transaction
                    .addEntry()
                    .setFullUrl(
                            resource.fhirType() + "/" + resource.getIdElement().getIdPart())
                    .setResource(resource)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
        }
        return transaction;
    }

    public static String organizationId(String ods) {
        return "Organization/" + ods;
    }

    public static String practitionerId(String sdsId) {
        return "Practitioner/sds-" + sdsId;
    }

    private static Organization organization(Organisation source, String area) {
        Organization org = new Organization();
        org.setId(source.ods());
        org.addIdentifier(new Identifier().setSystem(ODS_ORGANISATION).setValue(source.ods()));
        org.setActive(true);
        org.setName(source.name());
        org.addType(new CodeableConcept(new Coding(CARE_SETTING, source.setting(), source.setting())));
        if (source.locality() != null) {
            org.addAddress().setDistrict(source.locality()).setState(area);
        }
        if (source.partOf() != null) {
            org.setPartOf(new Reference(organizationId(source.partOf())));
        }
        return org;
    }

    private static Location location(String code, String system, String name, String ods, String parentSite) {
        Location location = new Location();
        location.setId(code);
        location.addIdentifier(new Identifier().setSystem(system).setValue(code));
        location.setStatus(Location.LocationStatus.ACTIVE);
        location.setName(name);
        location.setManagingOrganization(new Reference(organizationId(ods)));
        if (parentSite != null) {
            location.setPartOf(new Reference("Location/" + parentSite));
        }
        return location;
    }

    private static Practitioner practitioner(Professional source) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId("sds-" + source.sdsId());
        practitioner.addIdentifier(new Identifier().setSystem(SDS_USER).setValue(source.sdsId()));
        practitioner.setActive(true);
        HumanName name = practitioner.addName().setFamily(source.family()).addGiven(source.given());
        if (source.prefix() != null) {
            name.addPrefix(source.prefix());
        }
        return practitioner;
    }

    private static PractitionerRole practitionerRole(Professional professional, Role role) {
        PractitionerRole practitionerRole = new PractitionerRole();
        practitionerRole.setId("sds-" + professional.sdsId() + "-" + role.organisation());
        practitionerRole.addIdentifier(new Identifier()
                .setSystem(SDS_ROLE_PROFILE)
                .setValue(professional.sdsId() + "-" + role.organisation()));
        practitionerRole.setActive(true);
        practitionerRole.setPractitioner(new Reference(practitionerId(professional.sdsId())));
        practitionerRole.setOrganization(new Reference(organizationId(role.organisation())));
        if (role.site() != null) {
            practitionerRole.addLocation(new Reference("Location/" + role.site()));
        }
        practitionerRole.addCode(new CodeableConcept(new Coding(TESTBED_ROLE, role.role(), role.role())));
        if (role.jobRole() != null) {
            practitionerRole.addCode(new CodeableConcept(new Coding(SDS_JOB_ROLE, role.jobRole(), null)));
        }
        return practitionerRole;
    }
}
