package org.ldrtestbed.routes.delivery;

/** A message that can never be delivered as it stands (bad shape, invalid NHS number...): dead-lettered at once. */
public final class InvalidMessageException extends RuntimeException {

    public InvalidMessageException(String reason) {
        super(reason);
    }
}
