package org.ldrtestbed.scenarios.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.ldrtestbed.fhirserver.contract.TestbedIg;

/**
 * The FHIR implementation guides validation reads profiles from, as FHIR NPM packages (a {@code .tgz} with a {@code
 * package/} folder): the testbed's own ({@link TestbedIg}), built from fhir-server's {@code src/main/ig}, and any a user
 * gives (UK Core, say). A package's dependencies are not fetched: give each package it needs.
 */
public final class IgPackages {

    /** The testbed's own IG: the shapes of what it exchanges with systems under test. */
    public static final String TESTBED_IG = TestbedIg.PACKAGE;

    /** The canonical URLs of the testbed IG's profiles. */
    public static final String BASE = "https://fhir.ldr-testbed.example/StructureDefinition/";

    public static final String DISCHARGE_SUMMARY_DOCUMENT = BASE + "ldr-discharge-summary-document";
    public static final String DISCHARGE_SUMMARY_COMPOSITION = BASE + "ldr-discharge-summary-composition";
    public static final String PATIENT = BASE + "ldr-patient";
    /** What a {@code $process-message} receiver answers. */
    public static final String MESSAGE_ACKNOWLEDGEMENT = BASE + "ldr-message-acknowledgement";
    /** What a GP system answers a {@code $gpc.getstructuredrecord} pull with. */
    public static final String STRUCTURED_RECORD = BASE + "ldr-structured-record";

    /** What a validator needs of a package; examples, search parameters and the like are left out. */
    private static final Set<String> CONFORMANCE_TYPES = Set.of("StructureDefinition", "ValueSet", "CodeSystem");

    private IgPackages() {}

    /** A support holding the testbed's IG and the given packages' profiles, value sets and code systems. */
    public static NpmPackageValidationSupport load(FhirContext fhirContext, List<Path> packages) {
        NpmPackageValidationSupport support = new NpmPackageValidationSupport(fhirContext);
        try {
            support.loadPackageFromClasspath(TESTBED_IG);
        } catch (IOException e) {
            throw new IllegalStateException("The testbed's IG package " + TESTBED_IG + " does not load", e);
        }
        for (Path file : packages) {
            addPackage(support, fhirContext, file);
        }
        return support;
    }

    private static void addPackage(NpmPackageValidationSupport support, FhirContext fhirContext, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotAPackageException(file, "does not exist (or is not a file)");
        }
        NpmPackage npm;
        try (InputStream in = Files.newInputStream(file)) {
            npm = NpmPackage.fromPackage(in);
        } catch (IOException | RuntimeException e) {
            throw new NotAPackageException(file, "cannot be read as a FHIR package (.tgz): " + e.getMessage());
        }
        NpmPackage.NpmPackageFolder folder = npm.getFolders().get("package");
        if (folder == null || npm.name() == null) {
            throw new NotAPackageException(file, "is not a FHIR package: no package/package.json");
        }
        try {
            for (String type : CONFORMANCE_TYPES) {
                for (String name : folder.getTypes().getOrDefault(type, List.of())) {
                    String json = new String(folder.fetchFile(name), StandardCharsets.UTF_8);
                    support.addResource(fhirContext
                            .newJsonParser()
                            .setParserErrorHandler(new LenientErrorHandler(false))
                            .parseResource(json));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new NotAPackageException(file, "has a resource that does not load: " + e.getMessage());
        }
    }

    /** A package file that is missing, unreadable or not a FHIR package; the message names the file. */
    public static final class NotAPackageException extends RuntimeException {
        private final Path file;

        NotAPackageException(Path file, String problem) {
            super(file + " " + problem);
            this.file = file;
        }

        public Path file() {
            return file;
        }
    }
}
