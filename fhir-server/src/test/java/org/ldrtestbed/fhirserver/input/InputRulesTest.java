package org.ldrtestbed.fhirserver.input;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.fhirserver.directory.DirectoryResources;
import org.ldrtestbed.identity.contract.NhsNumber;

class InputRulesTest {

    private static final String VALID = "9990000018";
    private final InputRules rules =
            new InputRules(FhirContext.forR4Cached(), CareSystemDirectory.load("classpath:directory/oxfordshire.yaml"));

    @Test
    void patientWithValidNhsNumberAndKnownPracticeHasNoProblems() {
        assertThat(rules.problems(patient(VALID))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9990000019", "99900000", "999000001A", "99900000188", ""})
    void invalidNhsNumberIsAProblem(String nhs) {
        assertThat(rules.problems(patient(nhs))).singleElement().asString().contains("Modulus 11");
    }

    @Test
    void unknownOdsCodesAndOrganisationReferencesAreProblems() {
        Organization organisation = new Organization();
        organisation
                .addIdentifier()
                .setSystem(DirectoryResources.ODS_ORGANISATION)
                .setValue("SYNZZ");
        assertThat(rules.problems(organisation)).singleElement().asString().contains("'SYNZZ'");

        Patient registered = patient(VALID);
        registered.getGeneralPractitionerFirstRep().setReference("Organization/SYNZZ");
        assertThat(rules.problems(registered)).singleElement().asString().contains("Organization/SYNZZ");

        Encounter encounter = new Encounter();
        encounter.setServiceProvider(new Reference()
                .setIdentifier(new org.hl7.fhir.r4.model.Identifier()
                        .setSystem(DirectoryResources.ODS_ORGANISATION)
                        .setValue("SYNQQ")));
        encounter
                .addLocation()
                .getLocation()
                .getIdentifier()
                .setSystem(DirectoryResources.ODS_SITE)
                .setValue("SYNAC01");
        assertThat(rules.problems(encounter)).singleElement().asString().contains("'SYNQQ'");
    }

    @Test
    void conditionalReferencesAndUrlsAreCheckedEncodedOrNot() {
        Observation observation = new Observation();
        observation.setSubject(new Reference("Patient?identifier=" + NhsNumber.SYSTEM + "|9990000019"));
        assertThat(rules.problems(observation)).singleElement().asString().contains("'9990000019'");

        observation.setSubject(new Reference("Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + VALID));
        assertThat(rules.problems(observation)).isEmpty();

        assertThat(rules.queryProblems(
                        "Observation?patient.identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C123"))
                .singleElement()
                .asString()
                .contains("'123'");
        assertThat(rules.queryProblems("Patient?identifier=" + NhsNumber.SYSTEM + "|" + VALID + "&_count=5"))
                .isEmpty();
        assertThat(rules.queryProblems("identifier=other-system|123")).isEmpty();
    }

    @Test
    void transactionProblemsNameTheirEntry() {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(patient(VALID)).getRequest().setMethod(Bundle.HTTPVerb.POST);
        transaction
                .addEntry()
                .setResource(patient(VALID))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Patient?identifier=" + NhsNumber.SYSTEM + "|9990000019");
        transaction
                .addEntry()
                .setResource(patient("123"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setIfNoneExist("identifier=" + NhsNumber.SYSTEM + "|123");

        assertThat(rules.entryProblems(transaction))
                .hasSize(2)
                .satisfiesExactly(
                        p -> assertThat(p).startsWith("Bundle.entry[1]: ").contains("'9990000019'"),
                        p -> assertThat(p).startsWith("Bundle.entry[2]: ").contains("'123'"));
    }

    @Test
    void contentInsideADocumentBundleIsChecked() {
        Bundle document = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        document.addEntry().setResource(patient("9990000019"));
        assertThat(rules.problems(document)).singleElement().asString().contains("'9990000019'");
    }

    private static Patient patient(String nhs) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhs);
        patient.addGeneralPractitioner().setReference("Organization/SYNG09");
        return patient;
    }
}
