package io.dualsync.dedup;

import io.dualsync.conflict.MappedRecord;
import io.dualsync.conflict.SyncState;
import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.dualsync.dedup.DedupDecision.Kind.DUPLICATE;
import static io.dualsync.dedup.DedupDecision.Kind.ECHO;
import static io.dualsync.dedup.DedupDecision.Kind.NO_OP;
import static io.dualsync.dedup.DedupDecision.Kind.PROCESS;
import static io.dualsync.dedup.DedupDecision.Kind.STALE;
import static org.assertj.core.api.Assertions.assertThat;

class DeduplicatorTest {
    static final String APP_USER_DV = "7d1e2c1a-0000-4000-8000-00000000a99e";
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    final FakeTicker ticker = new FakeTicker();
    final EchoFilter echoes = new EchoFilter("dualsync-app", APP_USER_DV, 1000, Duration.ofMinutes(10), ticker);
    final Deduplicator dedup = new Deduplicator(echoes, 1000, Duration.ofHours(1), ticker);

    static ChangeEvent dvEvent(String id, long version, String user, String tag) {
        return new ChangeEvent(id, Side.DATAVERSE, "accounts", Operation.UPDATE, "guid-1",
                Map.of("accountid", "guid-1"), Map.of("name", "Contoso"), version, T0.plusSeconds(version),
                user, tag, "corr", T0);
    }

    static ChangeEvent foEvent(String id, Instant modifiedAt, String user) {
        return new ChangeEvent(id, Side.FO, "CustomersV3", Operation.UPDATE, "US-001",
                Map.of("CustomerAccount", "US-001"), Map.of("OrganizationName", "Contoso"), 0, modifiedAt, user, null,
                null, T0);
    }

    static SyncState dataverseAt(long version) {
        return SyncState.empty("customers", "US-001")
                .seen(new MappedRecord(Side.DATAVERSE, version, T0.plusSeconds(version), Map.of(), null));
    }

    @Test
    void newEvent_isProcessed() {
        DedupDecision d = dedup.check(dvEvent("corr:101", 101, "someone", null), "customers", "US-001",
                Map.of("name", "Contoso"), dataverseAt(100));
        assertThat(d.kind()).isEqualTo(PROCESS);
        assertThat(d.process()).isTrue();
    }

    @Test
    void redelivery_sameEventId_isADuplicate_evenWhenTheStateIsUnknown() {
        ChangeEvent e = dvEvent("corr:101", 101, "someone", null);
        assertThat(dedup.check(e, "customers", "US-001", null, null).kind()).isEqualTo(PROCESS);
        DedupDecision again = dedup.check(e, "customers", "US-001", null, null);
        assertThat(again.kind()).isEqualTo(DUPLICATE);
        assertThat(again.reason()).contains("corr:101");
    }

    @Test
    void oneEvent_appliedThroughTwoMaps_isNotADuplicateOfItself() {
        ChangeEvent e = foEvent("evt-1", T0, "admin");
        assertThat(dedup.check(e, "customers", "US-001", null, null).kind()).isEqualTo(PROCESS);
        assertThat(dedup.check(e, "contacts", "US-001", null, null).kind()).isEqualTo(PROCESS);
    }

    @Test
    void eventIds_areForgottenAfterTheirTtl_andOnRequest() {
        ChangeEvent e = foEvent("evt-1", T0, "admin");
        dedup.check(e, "customers", "US-001", null, null);
        ticker.advance(Duration.ofMinutes(61));
        assertThat(dedup.check(e, "customers", "US-001", null, null).kind()).isEqualTo(PROCESS);
        dedup.forget(e, "customers");
        assertThat(dedup.check(e, "customers", "US-001", null, null).kind()).isEqualTo(PROCESS);
    }

    @Test
    void olderVersionAfterNewer_isStale_andTheSameVersionAgainToo() {
        DedupDecision older = dedup.check(dvEvent("corr:99", 99, "someone", null), "customers", "US-001", null,
                dataverseAt(100));
        assertThat(older.kind()).isEqualTo(STALE);
        assertThat(older.reason()).contains("version 99 is not newer than version 100");
        assertThat(dedup.check(dvEvent("other:100", 100, "someone", null), "customers", "US-001", null,
                dataverseAt(100)).kind()).isEqualTo(STALE);
    }

    @Test
    void sideWithoutVersions_isStaleByModifiedTime() {
        SyncState state = SyncState.empty("customers", "US-001")
                .seen(new MappedRecord(Side.FO, 0, T0.plusSeconds(10), Map.of(), null));
        assertThat(dedup.check(foEvent("a", T0.plusSeconds(5), "admin"), "customers", "US-001", null, state).kind())
                .isEqualTo(STALE);
        assertThat(dedup.check(foEvent("b", T0.plusSeconds(10), "admin"), "customers", "US-001", null, state).kind())
                .as("same time: maybe a second change in the same instant").isEqualTo(PROCESS);
        assertThat(dedup.check(foEvent("c", T0.plusSeconds(11), "admin"), "customers", "US-001", null, state).kind())
                .isEqualTo(PROCESS);
    }

    @Test
    void changeByOurApplicationUser_isAnEcho_perSystem() {
        DedupDecision d = dedup.check(dvEvent("corr:101", 101, APP_USER_DV.toUpperCase(), null), "customers",
                "US-001", null, null);
        assertThat(d.kind()).isEqualTo(ECHO);
        assertThat(d.reason()).contains("application user");
        assertThat(dedup.check(foEvent("e1", T0, "dualsync-app"), "customers", "US-001", null, null).kind())
                .isEqualTo(ECHO);
        assertThat(dedup.check(foEvent("e2", T0, APP_USER_DV), "customers", "US-001", null, null).kind())
                .as("the Dataverse application user means nothing in F&O").isEqualTo(PROCESS);
    }

    @Test
    void changeCarryingOurTag_isAnEcho() {
        String tag = EchoFilter.tagFor("evt-42");
        assertThat(tag).isEqualTo("dualsync:evt-42");
        DedupDecision d = dedup.check(dvEvent("corr:101", 101, "someone", tag), "customers", "US-001", null, null);
        assertThat(d.kind()).isEqualTo(ECHO);
        assertThat(d.reason()).contains("dualsync:evt-42");
        assertThat(dedup.check(dvEvent("corr:102", 102, "someone", "other-tool"), "customers", "US-001", null, null)
                .kind()).isEqualTo(PROCESS);
    }

    @Test
    void changeWithTheValuesWeWrote_isAnEcho_onceOnly() {
        echoes.wrote(Side.DATAVERSE, "customers", "US-001", Map.of("name", "Contoso", "creditlimit", 1000));
        DedupDecision echo = dedup.check(dvEvent("corr:101", 101, "someone", null), "customers", "US-001",
                Map.of("name", "Contoso", "creditlimit", new BigDecimal("1000.00")), dataverseAt(100));
        assertThat(echo.kind()).isEqualTo(ECHO);
        assertThat(echo.reason()).contains("values are those we wrote");
        DedupDecision personSetsSameValues = dedup.check(dvEvent("corr:150", 150, "someone", null), "customers",
                "US-001", Map.of("name", "Contoso", "creditlimit", 1000), dataverseAt(101));
        assertThat(personSetsSameValues.kind()).isEqualTo(PROCESS);
    }

    @Test
    void echoRecognisedByTag_usesUpTheRememberedWrite() {
        echoes.wrote(Side.DATAVERSE, "customers", "US-001", Map.of("name", "Contoso"));
        assertThat(dedup.check(dvEvent("corr:101", 101, "someone", EchoFilter.tagFor("e1")), "customers", "US-001",
                Map.of("name", "Contoso"), null).kind()).isEqualTo(ECHO);
        assertThat(dedup.check(dvEvent("corr:150", 150, "someone", null), "customers", "US-001",
                Map.of("name", "Contoso"), null).kind()).as("a person setting the same value later").isEqualTo(PROCESS);
    }

    @Test
    void changeWithOtherValues_isNotAnEcho_andUsesUpTheRememberedWrite() {
        echoes.wrote(Side.DATAVERSE, "customers", "US-001", Map.of("name", "Contoso"));
        assertThat(dedup.check(dvEvent("corr:101", 101, "someone", null), "customers", "US-001",
                Map.of("name", "Contoso Ltd"), null).kind()).isEqualTo(PROCESS);
        assertThat(dedup.check(dvEvent("corr:102", 102, "someone", null), "customers", "US-001",
                Map.of("name", "Contoso"), null).kind()).isEqualTo(PROCESS);
    }

    @Test
    void changeOfAFieldWeDidNotWrite_isNotAnEcho() {
        echoes.wrote(Side.DATAVERSE, "customers", "US-001", Map.of("name", "Contoso"));
        assertThat(dedup.check(dvEvent("corr:101", 101, "someone", null), "customers", "US-001",
                Map.of("name", "Contoso", "telephone1", "555"), null).kind()).isEqualTo(PROCESS);
    }

    @Test
    void rememberedWrites_areSideMapAndRecordSpecific_andExpire() {
        echoes.wrote(Side.DATAVERSE, "customers", "US-001", Map.of("name", "Contoso"));
        assertThat(dedup.check(dvEvent("a", 101, "someone", null), "customers", "US-002", Map.of("name", "Contoso"),
                null).kind()).isEqualTo(PROCESS);
        assertThat(dedup.check(foEvent("b", T0, "admin"), "customers", "US-001", Map.of("name", "Contoso"), null)
                .kind()).isEqualTo(PROCESS);
        ticker.advance(Duration.ofMinutes(11));
        assertThat(dedup.check(dvEvent("c", 101, "someone", null), "customers", "US-001", Map.of("name", "Contoso"),
                null).kind()).isEqualTo(PROCESS);
    }

    @Test
    void rememberedWrites_areBoundedInNumber() {
        EchoFilter small = new EchoFilter(null, null, 10, Duration.ofMinutes(10), ticker);
        for (int i = 0; i < 100; i++) {
            small.wrote(Side.DATAVERSE, "customers", "K" + i, Map.of("name", "n" + i));
        }
        assertThat(small.remembered()).isLessThanOrEqualTo(10);
    }

    @Test
    void echoOfOurWrite_isAnEchoNotStale_evenWhenWeKnowItsVersion() {
        // After our write, its ETag told us version 101: the echo of version 101 is counted as an echo.
        DedupDecision d = dedup.check(dvEvent("corr:101", 101, APP_USER_DV, null), "customers", "US-001", null,
                dataverseAt(101));
        assertThat(d.kind()).isEqualTo(ECHO);
    }

    @Test
    void write_equalToWhatTheTargetHasFromUs_isANoOp() {
        SyncState state = SyncState.empty("customers", "US-001").synced(
                new MappedRecord(Side.FO, 0, T0, Map.of("OrganizationName", "Contoso", "CreditLimit", 1000), null),
                new MappedRecord(Side.DATAVERSE, 100, T0, Map.of("name", "Contoso", "creditlimit", 1000), null));
        DedupDecision same = dedup.checkWrite(state, Side.DATAVERSE, Map.of("name", "Contoso", "creditlimit", 1000.0));
        assertThat(same.kind()).isEqualTo(NO_OP);
        assertThat(same.reason()).contains("dataverse already has these 2 values");
        assertThat(dedup.isNoOp(state, Side.DATAVERSE, Map.of("name", "Contoso Ltd"))).isFalse();
        assertThat(dedup.isNoOp(state, Side.DATAVERSE, Map.of("telephone1", "555"))).as("never written").isFalse();
        assertThat(dedup.isNoOp(state, Side.FO, Map.of("OrganizationName", "Contoso"))).isTrue();
        assertThat(dedup.isNoOp(null, Side.FO, Map.of("OrganizationName", "Contoso"))).isFalse();
        assertThat(dedup.checkWrite(state, Side.FO, Map.of()).kind()).isEqualTo(NO_OP);
    }
}
