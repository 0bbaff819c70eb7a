package io.dualsync.conflict;

import io.dualsync.mapping.Side;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A customer record pair as last synced, and changes of either side, for the conflict tests. */
final class Pairs {
    static final Instant SYNCED_AT = Instant.parse("2025-03-01T10:00:00Z");

    private Pairs() {
    }

    static Map<String, Object> foBase() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CustomerAccount", "US-001");
        m.put("OrganizationName", "Contoso");
        m.put("CreditLimit", 1000);
        m.put("SalesMemo", "memo");
        m.put("PrimaryContactPhone", "555-1");
        m.put("InvoiceAddressLatitude", 47.6);
        return m;
    }

    static Map<String, Object> dvBase() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accountnumber", "US-001");
        m.put("name", "Contoso");
        m.put("creditlimit", 1000);
        m.put("description", "memo");
        m.put("telephone1", "555-1");
        m.put("address2_latitude", 47.6);
        return m;
    }

    /** Both sides synced: F&O at time {@link #SYNCED_AT}, Dataverse at version 100. */
    static SyncState synced() {
        return SyncState.empty("customers", "US-001").synced(
                new MappedRecord(Side.FO, 0, SYNCED_AT, foBase(), null),
                new MappedRecord(Side.DATAVERSE, 100, SYNCED_AT, dvBase(), "W/\"100\""));
    }

    static MappedRecord fo(Instant at, Object... changes) {
        return new MappedRecord(Side.FO, 0, at, with(foBase(), changes), null);
    }

    static MappedRecord dv(long version, Instant at, Object... changes) {
        return new MappedRecord(Side.DATAVERSE, version, at, with(dvBase(), changes), "W/\"" + version + "\"");
    }

    static Map<String, Object> with(Map<String, Object> base, Object... changes) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        for (int i = 0; i < changes.length; i += 2) {
            m.put((String) changes[i], changes[i + 1]);
        }
        return m;
    }

    static Instant at(int seconds) {
        return SYNCED_AT.plusSeconds(seconds);
    }
}
