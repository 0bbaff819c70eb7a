package io.dualsync.emulator.dataverse;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) guids for new row ids, request ids and correlation ids. They need to be unique,
 * not unpredictable: {@code UUID.randomUUID()} draws from the process's SecureRandom behind a lock and
 * costs more than the rest of a small write's bookkeeping, so these come from the calling thread's
 * {@link ThreadLocalRandom}. Any thread.
 */
final class Guids {
    private Guids() {
    }

    /** A new random guid in lower case, like {@code UUID.randomUUID().toString()}. */
    static String random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }
}
