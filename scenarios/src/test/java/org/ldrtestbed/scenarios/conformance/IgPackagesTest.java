package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgPackagesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String BORN = "https://example.org/fhir/StructureDefinition/patient-born";
    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"gender\":\"female\"}";

    @TempDir
    Path dir;

    @Test
    void aGivenPackagesProfilesAreValidatedAgainst() throws IOException {
        Path pkg = tgz("example.born", Map.of("StructureDefinition-patient-born.json", """
                        {"resourceType": "StructureDefinition", "id": "patient-born", "url": "%s",
                         "name": "PatientBorn", "status": "active", "fhirVersion": "4.0.1", "kind": "resource",
                         "abstract": false, "type": "Patient", "derivation": "constraint",
                         "baseDefinition": "http://hl7.org/fhir/StructureDefinition/Patient",
                         "differential": {"element": [
                           {"id": "Patient.birthDate", "path": "Patient.birthDate", "min": 1}]}}
                        """.formatted(BORN)));

        assertThat(new FhirValidation(FHIR, List.of(pkg)).validate(PATIENT, BORN))
                .anyMatch(i -> i.isError() && i.message().contains("Patient.birthDate"));
        // Without the package the profile is unknown: that is an error too, but not the missing birth date.
        assertThat(new FhirValidation(FHIR).validate(PATIENT, BORN))
                .noneMatch(i -> i.message().contains("Patient.birthDate"))
                .anyMatch(FhirValidation.Issue::isError);
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("uk-core.tgz");
        assertThatThrownBy(() -> IgPackages.load(FHIR, List.of(missing)))
                .isInstanceOf(IgPackages.NotAPackageException.class)
                .hasMessage(missing + " does not exist (or is not a file)");
    }

    @Test
    void aFileThatIsNotAPackageIsNamed() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.tgz"), "not a package");
        assertThatThrownBy(() -> IgPackages.load(FHIR, List.of(text)))
                .isInstanceOf(IgPackages.NotAPackageException.class)
                .hasMessageContaining(text.toString());
    }

    @Test
    void aTarballWithoutPackageJsonIsNotAPackage() throws IOException {
        Path tgz = write(dir.resolve("bare.tgz"), Map.of("package/readme.txt", "hello"));
        assertThatThrownBy(() -> IgPackages.load(FHIR, List.of(tgz)))
                .isInstanceOf(IgPackages.NotAPackageException.class)
                .hasMessageContaining(tgz.toString());
    }

    private Path tgz(String name, Map<String, String> resources) throws IOException {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("package/package.json", """
                {"name": "%s", "version": "1.0.0", "fhirVersions": ["4.0.1"],
                 "dependencies": {"hl7.fhir.r4.core": "4.0.1"}}
                """.formatted(name));
        resources.forEach((file, json) -> files.put("package/" + file, json));
        return write(dir.resolve(name + ".tgz"), files);
    }

    private static Path write(Path tgz, Map<String, String> files) throws IOException {
        try (OutputStream out = Files.newOutputStream(tgz);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(bytes.length);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return tgz;
    }
}
