package org.ldrtestbed.identity;

/**
 * Says who wrote a record entry, as the {@code meta.source} URI the server stamps on every write. The server, not
 * the client, sets it from the validated token, so attribution cannot be forged by a request body.
 */
public final class RecordAttribution {

    /** Base of every source URI; the path is {@code <organisation>/<username>}. */
    public static final String SOURCE_BASE = "https://fhir.ldr-testbed.example/source/";

    /** Used for writes the testbed makes itself (directory loading), which carry no token. */
    public static final String TESTBED_ORGANISATION = "testbed";

    private RecordAttribution() {}

    public static String sourceFor(ActorIdentity actor) {
        String organisation = actor.organisation() != null ? actor.organisation() : "no-organisation";
        return SOURCE_BASE + organisation + "/" + actor.username();
    }

    public static String sourceForTestbed(String component) {
        return SOURCE_BASE + TESTBED_ORGANISATION + "/" + component;
    }

    /** The organisation a {@code meta.source} stamped by the server names, or empty for any other source. */
    public static java.util.Optional<String> organisationOf(String source) {
        if (source == null || !source.startsWith(SOURCE_BASE)) {
            return java.util.Optional.empty();
        }
        String path = source.substring(SOURCE_BASE.length());
        int slash = path.indexOf('/');
        return java.util.Optional.of(slash < 0 ? path : path.substring(0, slash))
                .filter(o -> !o.isEmpty());
    }
}
