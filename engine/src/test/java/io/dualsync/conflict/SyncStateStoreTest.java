package io.dualsync.conflict;

import io.dualsync.mapping.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SyncStateStoreTest {
    static final Instant T1 = Instant.parse("2025-03-01T10:00:00Z");
    static final Instant T2 = Instant.parse("2025-03-01T10:00:05Z");

    @TempDir
    Path dir;

    @Test
    void states_surviveReopen_withVersionsTimesEtagsAndFingerprints() {
        SyncState state = SyncState.empty("customers", "US-001").synced(
                new MappedRecord(Side.FO, 0, T1, Map.of("CustomerAccount", "US-001", "CreditLimit", 1000), null),
                new MappedRecord(Side.DATAVERSE, 12, T2, Map.of("accountnumber", "US-001", "creditlimit", 1000),
                        "W/\"12\""));
        try (SyncStateStore store = SyncStateStore.open(dir)) {
            store.put(state);
            store.put(SyncState.empty("customers", "US-002"));
            store.remove("customers", "US-002");
        }
        try (SyncStateStore store = SyncStateStore.open(dir)) {
            SyncState back = store.get("customers", "US-001");
            assertThat(back).isEqualTo(state);
            assertThat(back.dataverse().version()).isEqualTo(12);
            assertThat(back.dataverse().etag()).isEqualTo("W/\"12\"");
            assertThat(back.fo().modifiedAt()).isEqualTo(T1);
            assertThat(back.dataverse().fingerprint())
                    .isEqualTo(Fingerprint.of(Map.of("accountnumber", "US-001", "creditlimit", 1000)));
            assertThat(back.dataverse().changed("creditlimit", 1000.0)).isFalse();
            assertThat(back.dataverse().changed("creditlimit", 1001)).isTrue();
            assertThat(store.get("customers", "US-002")).isNull();
            assertThat(store.getOrEmpty("customers", "US-002")).isEqualTo(SyncState.empty("customers", "US-002"));
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void recordIds_findThePairAndTheOtherSidesKey_afterReopen_untilRemoved() {
        String guid = "0E2EB8F6-F96A-4997-96D0-98C7975A8735";
        SyncState state = SyncState.empty("customers", "usmf|us-001")
                .identified(Side.DATAVERSE, guid, Map.of("accountid", guid))
                .identified(Side.FO, "dataAreaId='usmf',CustomerAccount='US-001'",
                        Map.of("dataAreaId", "usmf", "CustomerAccount", "US-001"));
        try (SyncStateStore store = SyncStateStore.open(dir)) {
            store.put(state);
            store.put(state.identified(Side.DATAVERSE, null, null)); // a null keeps what was known
        }
        try (SyncStateStore store = SyncStateStore.open(dir)) {
            SyncState back = store.byRecordId("customers", Side.DATAVERSE, guid.toLowerCase());
            assertThat(back).isEqualTo(state);
            assertThat(back.fo().key()).containsEntry("CustomerAccount", "US-001").containsEntry("dataAreaId", "usmf");
            assertThat(store.byRecordId("customers", Side.FO, "dataAreaId='usmf',CustomerAccount='US-001'"))
                    .isEqualTo(state);
            assertThat(store.byRecordId("customers", Side.FO, guid)).as("ids are per side").isNull();
            assertThat(store.byRecordId("vendors", Side.DATAVERSE, guid)).as("ids are per map").isNull();
            store.remove("customers", "usmf|us-001");
            assertThat(store.byRecordId("customers", Side.DATAVERSE, guid)).isNull();
        }
    }

    @Test
    void keys_withSlashes_doNotCollideAcrossMaps() {
        try (SyncStateStore store = SyncStateStore.open(dir)) {
            store.put(SyncState.empty("a", "b/c"));
            store.put(SyncState.empty("vendors", "b/c"));
            assertThat(store.get("a", "b/c").map()).isEqualTo("a");
            assertThat(store.get("vendors", "b/c").map()).isEqualTo("vendors");
            assertThat(store.get("a", "b")).isNull();
        }
    }

    @Test
    void synced_movesVersionsForwardOnly_andMergesPartialBases() {
        SyncState s = SyncState.empty("customers", "US-001")
                .synced(new MappedRecord(Side.DATAVERSE, 20, T2, Map.of("name", "A", "creditlimit", 5), "W/\"20\""),
                        new MappedRecord(Side.FO, 0, null, Map.of("OrganizationName", "A", "CreditLimit", 5), null));
        SyncState later = s.synced(new MappedRecord(Side.DATAVERSE, 18, T1, Map.of("name", "B"), null),
                new MappedRecord(Side.FO, 0, null, Map.of("OrganizationName", "B"), null));
        assertThat(later.dataverse().version()).isEqualTo(20);
        assertThat(later.dataverse().modifiedAt()).isEqualTo(T2);
        assertThat(later.dataverse().etag()).isEqualTo("W/\"20\"");
        assertThat(later.dataverse().changed("name", "B")).isFalse();
        assertThat(later.dataverse().changed("creditlimit", 5)).isFalse();
        assertThat(later.fo().changed("OrganizationName", "B")).isFalse();

        SyncState seen = later.seen(new MappedRecord(Side.DATAVERSE, 25, T2.plusSeconds(1), Map.of("name", "C"), "W/\"25\""));
        assertThat(seen.dataverse().version()).isEqualTo(25);
        assertThat(seen.dataverse().etag()).isEqualTo("W/\"25\"");
        assertThat(seen.dataverse().changed("name", "B")).as("seen does not move the base").isFalse();
        assertThat(seen.withEtag(Side.FO, "W/\"x\"", 0).fo().etag()).isEqualTo("W/\"x\"");
    }
}
