package io.dualsync.config;

/** A value that does not fit its key; the message says what was expected. Internal to loading. */
final class InvalidValue extends Exception {
    InvalidValue(String message) {
        super(message, null, false, false);
    }
}
