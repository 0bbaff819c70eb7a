package io.dualsync.conflict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a change meets a change of the other side: a conflict is a change on one side of a
 * record pair whose other side also changed since the last sync. "Changed" is judged field by field
 * against the {@link SideState#fields base} of the last sync, so the other side's version moving
 * because of our own write, or because of fields the map does not carry, is not a change.
 *
 * <p>The pipeline calls {@link #detect} before writing, with the other side as last read when it has
 * one (otherwise the write's {@code If-Match} guards it), and {@link #onPreconditionFailed} when a
 * write answered 412, with the target as read again. Pure, stateless and thread-safe; never returns null.
 */
public final class ConflictDetector {

    /**
     * @param incoming the changed side's mapped values (from the event, possibly partial)
     * @param state    what was last synced for the pair, or null when never
     * @param other    the other side as currently read, or null when not read
     */
    public Detection detect(MappedRecord incoming, SyncState state, MappedRecord other) {
        if (state == null) {
            return Detection.none("first sync of this record");
        }
        List<String> here = changed(state.side(incoming.side()), incoming.values());
        if (here.isEmpty()) {
            return Detection.none("no mapped field of " + incoming.side().word() + " changed since the last sync");
        }
        if (other == null) {
            return new Detection(false, other(incoming) + " not read; the write's If-Match guards it", here, List.of());
        }
        SideState otherBase = state.side(other.side());
        if (other.version() != 0 && otherBase.version() != 0 && other.version() <= otherBase.version()) {
            return new Detection(false, other(incoming) + " still at version " + other.version()
                    + " of the last sync", here, List.of());
        }
        List<String> there = changed(otherBase, other.values());
        if (there.isEmpty()) {
            return new Detection(false, other(incoming) + "'s mapped values are as last synced", here, List.of());
        }
        return new Detection(true, incoming.side().word() + " changed " + here + " and " + other.side().word()
                + " changed " + there + " since the last sync", here, there);
    }

    /**
     * A write with {@code If-Match} answered 412: the target changed since we last saw it. A conflict
     * when its mapped values differ from the last sync; otherwise only fields outside the map changed
     * and the write should be retried with the target's new ETag.
     *
     * @param targetAsRead the target read again after the 412, or null when it is gone
     */
    public Detection onPreconditionFailed(MappedRecord incoming, SyncState state, MappedRecord targetAsRead) {
        List<String> here = state == null ? List.copyOf(incoming.values().keySet())
                : changed(state.side(incoming.side()), incoming.values());
        if (targetAsRead == null) {
            return new Detection(true, "the target answered 412 and is gone (deleted since the last sync)", here, List.of());
        }
        if (state == null) {
            return new Detection(true, "the target answered 412 and was never synced",
                    here, List.copyOf(targetAsRead.values().keySet()));
        }
        List<String> there = changed(state.side(targetAsRead.side()), targetAsRead.values());
        if (there.isEmpty()) {
            return new Detection(false, "the target answered 412 but its mapped values are as last synced: "
                    + "retry with its new ETag", here, List.of());
        }
        return new Detection(true, "the target answered 412: " + targetAsRead.side().word() + " changed " + there
                + " since the last sync", here, there);
    }

    static List<String> changed(SideState base, Map<String, Object> values) {
        List<String> out = new ArrayList<>();
        values.forEach((path, v) -> {
            if (base.changed(path, v)) {
                out.add(path);
            }
        });
        return out;
    }

    private static String other(MappedRecord incoming) {
        return "the " + incoming.side().other().word() + " side";
    }
}
