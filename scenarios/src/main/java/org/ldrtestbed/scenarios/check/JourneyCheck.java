package org.ldrtestbed.scenarios.check;

import com.fasterxml.jackson.databind.JsonNode;

/** One kind of check of a journey's tree; each reports what it finds, none stops the others. */
interface JourneyCheck {

    /** The journey being checked: its tree, and who may act in it. */
    record Tree(JsonNode root, Actors actors) {}

    void check(Tree journey, Findings findings);
}
