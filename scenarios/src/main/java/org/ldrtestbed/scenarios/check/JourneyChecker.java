package org.ldrtestbed.scenarios.check;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Finds a journey's mistakes without booting anything: YAML read strictly, the schema, the loader's rules, every
 * actor, directory code, label, template and flow resolved against the realm, directory and catalogue, FHIRPath
 * parsed, search parameters checked against HAPI's registry, and every resource parsed strictly. {@code testbed check}
 * and {@code testbed run} use it; each problem is {@code file:line:column: field: problem}.
 */
public final class JourneyChecker {

    private final References references;
    private final LoaderRules loaderRules;
    private final SchemaCheck schema = new SchemaCheck();
    private final List<JourneyCheck> checks;

    /** A checker against the testbed's own realm, directory and flow catalogue. */
    public JourneyChecker() {
        this(shippedWhileHapiStarts());
    }

    /** A checker whose actors are those of another realm file (as {@code run --realm-file} logs them in from). */
    public static JourneyChecker withRealm(Path realmFile) {
        String realm = "file:" + realmFile.toAbsolutePath();
        CompletableFuture<References> references = CompletableFuture.supplyAsync(() -> References.of(
                realm, References.DIRECTORY, org.ldrtestbed.routes.contract.FlowCatalogue.DEFAULT_LOCATION));
        FhirContext.forR4Cached().getResourceDefinition("Patient");
        return new JourneyChecker(references.join());
    }

    /**
     * The references, read on a second thread while this one starts HAPI (a cold start is most of a check): its FHIR
     * context, and the model it scans in full on the first resource definition anyone asks for.
     */
    private static References shippedWhileHapiStarts() {
        CompletableFuture<References> references = CompletableFuture.supplyAsync(References::shipped);
        FhirContext.forR4Cached().getResourceDefinition("Patient");
        return references.join();
    }

    JourneyChecker(References references) {
        this.references = references;
        this.loaderRules = new LoaderRules(references.catalogue(), references.realm());
        FhirContext fhir = FhirContext.forR4Cached();
        this.checks = List.of(
                new ActorCheck(),
                new FlowCheck(references),
                new TemplateCheck(references),
                new FhirPathCheck(fhir),
                new SearchCheck(fhir),
                new ResourceCheck(fhir));
    }

    /** Every problem of the file, in file order; empty when it is fit to run. */
    public List<Problem> check(Path file, String text) {
        return check(file.toString(), text);
    }

    /** The same, for a file named {@code file} in messages (e.g. a shipped journey's classpath name). */
    public List<Problem> check(String file, String text) {
        Object parsed = YamlDocument.parse(text);
        if (parsed instanceof YamlDocument.SyntaxError error) {
            return List.of(new Problem(
                    file, error.at().line(), error.at().column(), "(yaml)", "not valid YAML: " + error.message()));
        }
        YamlDocument document = (YamlDocument) parsed;
        Findings findings = new Findings(file, document);
        document.findings().forEach(f -> findings.at(f.pointer(), f.at(), f.message()));
        if (document.tree() == null || !document.tree().isObject()) {
            findings.at("", "a journey file must be a YAML mapping");
            return findings.sorted();
        }
        JourneyCheck.Tree tree = new JourneyCheck.Tree(document.tree(), new Actors(references, document.tree()));
        int before = findings.count();
        schema.check(tree, findings);
        boolean schemaPassed = findings.count() == before;
        for (JourneyCheck check : checks) {
            try {
                check.check(tree, findings);
            } catch (RuntimeException e) {
                // A tree the schema refused can surprise a check; the schema's problems say what is wrong.
                if (schemaPassed) {
                    throw e;
                }
            }
        }
        if (schemaPassed) {
            loaderRules.check(file, text, findings);
        }
        return findings.sorted();
    }
}
