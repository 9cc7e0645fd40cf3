package org.ldrtestbed.scenarios.engine;

/** The testbed will not serve a journey's own people (HTTP 409); the message says who and why, in one line. */
public final class PeopleRefusedException extends IllegalArgumentException {

    public PeopleRefusedException(String message) {
        super(message);
    }
}
