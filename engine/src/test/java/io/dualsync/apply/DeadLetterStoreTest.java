package io.dualsync.apply;

import io.dualsync.conflict.MappedRecord;
import io.dualsync.conflict.SyncState;
import io.dualsync.conflict.SyncStateStore;
import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLetterStoreTest {
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path dir;

    static ChangeEvent dvEvent(long version) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", "Contoso");
        values.put("creditlimit", new BigDecimal("1000.50"));
        values.put("numberofemployees", 12);
        values.put("description", null);
        return new ChangeEvent("corr:" + version, Side.DATAVERSE, "accounts", Operation.UPDATE, "guid-1",
                Map.of("accountid", "guid-1"), values, version, T0.plusSeconds(version), "someone", null, "corr",
                T0.plusSeconds(version + 1));
    }

    static DeadLetter letter(long index, ChangeEvent e) {
        return DeadLetter.of(e, index, "customers", "US-001", Side.FO, "write", 400,
                "Field 'CreditLimit' must be positive", 1, T0, T0.plusSeconds(2));
    }

    @Test
    void deadLetters_surviveReopen_withTheOriginalEventIntact() {
        ChangeEvent e = dvEvent(105);
        try (DeadLetterStore store = DeadLetterStore.open(dir)) {
            store.add(letter(42, e));
            store.add(letter(7, dvEvent(101)));
        }
        try (DeadLetterStore store = DeadLetterStore.open(dir)) {
            assertThat(store.list()).extracting(DeadLetter::journalIndex).containsExactly(7L, 42L);
            DeadLetter back = store.get("42-customers");
            assertThat(back).isEqualTo(letter(42, e));
            assertThat(back.event().values()).containsEntry("creditlimit", new BigDecimal("1000.50"))
                    .containsEntry("description", null);
            assertThat(back.error()).isEqualTo("Field 'CreditLimit' must be positive");
            assertThat(back.stage()).isEqualTo("write");
            assertThat(back.firstAttempt()).isEqualTo(T0);
        }
    }

    @Test
    void delete_removesForGood() {
        try (DeadLetterStore store = DeadLetterStore.open(dir)) {
            store.add(letter(42, dvEvent(105)));
            assertThat(store.delete("42-customers")).isTrue();
            assertThat(store.delete("42-customers")).isFalse();
        }
        try (DeadLetterStore store = DeadLetterStore.open(dir)) {
            assertThat(store.list()).isEmpty();
        }
    }

    @Test
    void retry_withNoNewerVersionApplied_handsTheEventBack_andLeavesTheQueue() {
        try (DeadLetterStore store = DeadLetterStore.open(dir); SyncStateStore states = SyncStateStore.open(dir)) {
            states.put(dataverseApplied(103));
            store.add(letter(42, dvEvent(105)));
            DeadLetterStore.Retry r = store.retry("42-customers", states);
            assertThat(r.retry()).isTrue();
            assertThat(r.letter().event()).isEqualTo(dvEvent(105));
            assertThat(store.get("42-customers")).isNull();
        }
    }

    @Test
    void retry_neverOverwritesANewerVersionAlreadyApplied() {
        try (DeadLetterStore store = DeadLetterStore.open(dir); SyncStateStore states = SyncStateStore.open(dir)) {
            states.put(dataverseApplied(110));
            store.add(letter(42, dvEvent(105)));
            DeadLetterStore.Retry r = store.retry("42-customers", states);
            assertThat(r.retry()).isFalse();
            assertThat(r.reason()).contains("version 110").contains("105");
            assertThat(store.list()).isEmpty();

            states.put(dataverseApplied(105));
            store.add(letter(43, dvEvent(105)));
            assertThat(store.retry("43-customers", states).retry()).as("that very version was applied").isFalse();
        }
    }

    @Test
    void retry_ofASideWithoutVersions_comparesModifiedTimes() {
        ChangeEvent fo = new ChangeEvent("evt-1", Side.FO, "CustomersV3", Operation.UPDATE, "US-001",
                Map.of("CustomerAccount", "US-001"), Map.of("OrganizationName", "X"), 0, T0.plusSeconds(5), "admin",
                null, null, T0);
        try (DeadLetterStore store = DeadLetterStore.open(dir); SyncStateStore states = SyncStateStore.open(dir)) {
            states.put(SyncState.empty("customers", "US-001")
                    .seen(new MappedRecord(Side.FO, 0, T0.plusSeconds(9), Map.of(), null)));
            store.add(DeadLetter.of(fo, 1, "customers", "US-001", Side.DATAVERSE, "write", 400, "bad", 1, T0, T0));
            assertThat(store.retry("1-customers", states).retry()).isFalse();

            states.put(SyncState.empty("customers", "US-001")
                    .seen(new MappedRecord(Side.FO, 0, T0.plusSeconds(1), Map.of(), null)));
            store.add(DeadLetter.of(fo, 2, "customers", "US-001", Side.DATAVERSE, "write", 400, "bad", 1, T0, T0));
            assertThat(store.retry("2-customers", states).retry()).isTrue();
        }
    }

    @Test
    void retry_ofAnUnknownLetter_saysSo() {
        try (DeadLetterStore store = DeadLetterStore.open(dir); SyncStateStore states = SyncStateStore.open(dir)) {
            assertThatThrownBy(() -> store.retry("9-customers", states)).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("no dead letter 9-customers");
        }
    }

    private static SyncState dataverseApplied(long version) {
        return SyncState.empty("customers", "US-001")
                .seen(new MappedRecord(Side.DATAVERSE, version, T0.plusSeconds(version), Map.of(), null));
    }
}
