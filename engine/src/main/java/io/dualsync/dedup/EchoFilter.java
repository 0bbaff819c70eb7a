package io.dualsync.dedup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.dualsync.conflict.Fingerprint;
import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Recognises our own writes coming back as change events of the system we wrote to, so they are
 * counted as echoes instead of being written back (ping-pong). Three signs, any one suffices:
 * <ol>
 *   <li>the change was made by our application user for that system;</li>
 *   <li>it carries the {@code tag} we send with every Dataverse write ({@link #tagFor});</li>
 *   <li>its mapped values are those we last wrote to that record: every mapped field the event
 *       gives equals what we wrote (numbers by value, text exactly), and it gives no mapped field we
 *       did not write. The values we wrote are remembered per target record in a bounded Caffeine
 *       cache (size and age), and forgotten once its echo is recognised (by any sign) or the record
 *       changes otherwise, so a person later setting the same values again is not mistaken for an echo.</li>
 * </ol>
 * Thread-safe; time comes from the injected {@link Ticker}; no Vert.x types.
 */
public final class EchoFilter {
    /** What every tag we send starts with. */
    public static final String TAG_PREFIX = "dualsync:";

    private final String foApplicationUser;
    private final String dataverseApplicationUser;
    private final Cache<String, Map<String, Long>> written;

    /**
     * @param foApplicationUser        the F&O user our application writes as, or null when unknown
     * @param dataverseApplicationUser the Dataverse application user's id or name, or null when unknown
     * @param maxRecords               how many target records' written values to remember
     * @param ttl                      how long an echo may take to come back
     */
    public EchoFilter(String foApplicationUser, String dataverseApplicationUser, long maxRecords, Duration ttl,
                      Ticker ticker) {
        this.foApplicationUser = foApplicationUser;
        this.dataverseApplicationUser = dataverseApplicationUser;
        this.written = Caffeine.newBuilder().maximumSize(maxRecords).expireAfterWrite(ttl).ticker(ticker)
                .executor(Runnable::run).build();
    }

    /** The tag to send with a write caused by event {@code eventId}: {@code dualsync:<eventId>}. */
    public static String tagFor(String eventId) {
        return TAG_PREFIX + eventId;
    }

    /** True when {@code tag} is one of ours. */
    public static boolean isOurTag(String tag) {
        return tag != null && tag.startsWith(TAG_PREFIX);
    }

    /**
     * Remembers the values we wrote to a record, after the target accepted the write.
     *
     * @param values target field path to value, as the payload held them
     */
    public void wrote(Side target, String map, String key, Map<String, ?> values) {
        Map<String, Long> hashes = new HashMap<>();
        values.forEach((k, v) -> hashes.put(k, Fingerprint.ofValue(v)));
        written.put(cacheKey(target, map, key), Map.copyOf(hashes));
    }

    /**
     * Why {@code event} is an echo of our own write, or null when it is not.
     *
     * @param mappedValues the event's values for the map's fields on its side (field path to value),
     *                     or null when not known
     */
    public String match(ChangeEvent event, String map, String key, Map<String, ?> mappedValues) {
        String ck = cacheKey(event.source(), map, key);
        String ourUser = event.source() == Side.FO ? foApplicationUser : dataverseApplicationUser;
        if (ourUser != null && ourUser.equalsIgnoreCase(event.initiatingUser())) {
            written.invalidate(ck);
            return "made by our application user " + event.initiatingUser();
        }
        if (isOurTag(event.tag())) {
            written.invalidate(ck);
            return "carries our tag " + event.tag();
        }
        Map<String, Long> ours = written.getIfPresent(ck);
        if (ours == null || mappedValues == null) {
            return null;
        }
        // Matched or not, the remembered write is used up: the record has moved on from it.
        written.invalidate(ck);
        if (mappedValues.isEmpty()) {
            return null;
        }
        for (Map.Entry<String, ?> e : mappedValues.entrySet()) {
            Long mine = ours.get(e.getKey());
            if (mine == null || mine != Fingerprint.ofValue(e.getValue())) {
                return null;
            }
        }
        return "values are those we wrote (" + mappedValues.size() + " fields)";
    }

    /** Records whose written values are remembered (approximate, for metrics). */
    public long remembered() {
        return written.estimatedSize();
    }

    private static String cacheKey(Side side, String map, String key) {
        return side.word() + "/" + map + "/" + key;
    }
}
