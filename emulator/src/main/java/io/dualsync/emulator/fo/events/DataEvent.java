package io.dualsync.emulator.fo.events;

import io.dualsync.emulator.ChangeEvent;

/**
 * The three data events every OData-enabled entity can emit: "Create, update, and delete (CUD)
 * events can be enabled for each entity" (business-events/data-events.md). In Dataverse they are
 * the messages {@code OnExternalCreated}, {@code OnExternalUpdated} and {@code OnExternalDeleted}
 * of the entity's virtual table (business-events/how-to/how-to-dataverse-events.md).
 */
enum DataEvent {
    Created(ChangeEvent.Message.Create),
    Updated(ChangeEvent.Message.Update),
    Deleted(ChangeEvent.Message.Delete);

    private final ChangeEvent.Message message;

    DataEvent(ChangeEvent.Message message) {
        this.message = message;
    }

    static DataEvent of(ChangeEvent.Message m) {
        for (DataEvent e : values()) {
            if (e.message == m) {
                return e;
            }
        }
        throw new IllegalArgumentException(String.valueOf(m));
    }

    /** {@code Created}, {@code created} or {@code OnExternalCreated}. */
    static DataEvent parse(String text) {
        String t = text.trim();
        if (t.regionMatches(true, 0, "OnExternal", 0, 10)) {
            t = t.substring(10);
        }
        for (DataEvent e : values()) {
            if (e.name().equalsIgnoreCase(t)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown event '" + text + "': use Created, Updated or Deleted");
    }

    /** The Dataverse message name: {@code OnExternalCreated} and so on. */
    String messageName() {
        return "OnExternal" + name();
    }
}
