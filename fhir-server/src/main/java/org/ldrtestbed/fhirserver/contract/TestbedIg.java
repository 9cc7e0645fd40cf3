package org.ldrtestbed.fhirserver.contract;

/**
 * The testbed's own implementation guide: the profiles of what it exchanges with systems under test, a FHIR NPM package
 * built from fhir-server's {@code src/main/ig} into the jar. The server checks writes that claim its profiles against
 * it; {@code conform} validates what systems under test send and answer against it.
 */
public final class TestbedIg {

    /** Where the package is on the classpath, as HAPI's {@code NpmPackageValidationSupport} loads it. */
    public static final String PACKAGE = "classpath:ig/ldr-testbed.ig.tgz";

    private TestbedIg() {}
}
