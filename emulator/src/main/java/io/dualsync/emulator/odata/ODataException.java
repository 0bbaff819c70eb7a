package io.dualsync.emulator.odata;

/** A query option the emulator cannot accept; the API turns it into the service's 400 error body. */
public final class ODataException extends RuntimeException {
    public ODataException(String message) {
        super(message, null, false, false);
    }
}
