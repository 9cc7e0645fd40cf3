package org.ldrtestbed.scenarios.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Organisation;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Professional;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Site;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Unit;

/**
 * Organisation, site, ward and people's names from the care-system directory, so that a report says "South
 * Central Ambulance Service" where the record says {@code SYNAM}.
 */
public final class CareSystemNames {

    public static final String DEFAULT_DIRECTORY = "classpath:directory/oxfordshire.yaml";

    /** How the server attributes a write: {@code …/source/<ODS>/<username>} (see the README's "Attribution"). */
    private static final Pattern WRITTEN_BY = Pattern.compile(
            "meta\\.source\\.startsWith\\('https://fhir\\.ldr-testbed\\.example/source/([A-Za-z0-9-]+)/'\\)");

    private static final Pattern SOURCE =
            Pattern.compile("https://fhir\\.ldr-testbed\\.example/source/([A-Za-z0-9-]+)/([A-Za-z0-9._-]*)");
    private static final Pattern REFERENCE = Pattern.compile("\\b(Organization|Location)/([A-Za-z0-9-]+)");
    private static final Pattern ODS_IDENTIFIER =
            Pattern.compile("https://fhir\\.nhs\\.uk/Id/ods-organization-code\\|([A-Za-z0-9-]+)");

    private final CareSystemDirectory directory;
    private final Map<String, String> places = new HashMap<>();

    public CareSystemNames(CareSystemDirectory directory) {
        this.directory = directory;
        for (Organisation o : directory.organisations()) {
            places.put(o.ods(), o.name());
            for (Site s : o.sites()) {
                places.put(s.ods(), s.name());
                for (Unit u : s.units()) {
                    places.put(u.code(), u.name());
                }
            }
        }
    }

    public static CareSystemNames load() {
        return new CareSystemNames(CareSystemDirectory.load(DEFAULT_DIRECTORY));
    }

    /** The name of an organisation, site or unit; the code itself when the directory does not know it. */
    public String place(String code) {
        return code == null ? "" : places.getOrDefault(code, code);
    }

    public boolean knows(String code) {
        return places.containsKey(code);
    }

    public Optional<String> settingOf(String ods) {
        return directory.settingOf(ods);
    }

    /** Organisations of a care setting, in directory order. */
    public List<String> organisationsIn(String setting) {
        return directory.organisations().stream()
                .filter(o -> setting.equals(o.setting()))
                .map(Organisation::ods)
                .toList();
    }

    /** The professional a realm user is, e.g. "Chris Hale (synthetic)". */
    public Optional<Professional> professional(String username) {
        return directory.practitioners().stream()
                .filter(p -> p.username().equals(username))
                .findFirst();
    }

    /** The organisation a realm user works for (their first role's), if the directory lists them. */
    public Optional<String> organisationOf(String username) {
        return professional(username)
                .flatMap(p -> p.roles().stream().findFirst())
                .map(CareSystemDirectory.Role::organisation);
    }

    public Optional<String> personName(String username) {
        return professional(username)
                .map(p -> (p.prefix() == null ? "" : p.prefix() + " ") + p.given() + " " + p.family());
    }

    /** Shorter for a timeline lane: the whole report says once that everything is synthetic. */
    public static String withoutSyntheticMark(String name) {
        return name.replace(" (synthetic)", "");
    }

    /**
     * Text from the record (a search, an engine's detail) with the directory's codes named: a write's source
     * becomes who wrote it, an Organization or Location reference its name.
     */
    public String readable(String text) {
        if (text == null) {
            return "";
        }
        String named = replace(WRITTEN_BY, text, m -> "written by " + place(m.group(1)));
        named = replace(SOURCE, named, m -> place(m.group(1)) + (m.group(2).isEmpty() ? "" : " (" + m.group(2) + ")"));
        named = replace(ODS_IDENTIFIER, named, m -> place(m.group(1)));
        return replace(REFERENCE, named, m -> knows(m.group(2)) ? place(m.group(2)) : m.group());
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
        }
        return m.appendTail(out).toString();
    }
}
