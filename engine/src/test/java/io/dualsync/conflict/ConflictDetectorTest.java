package io.dualsync.conflict;

import io.dualsync.mapping.Side;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.dualsync.conflict.Pairs.at;
import static io.dualsync.conflict.Pairs.dv;
import static io.dualsync.conflict.Pairs.fo;
import static io.dualsync.conflict.Pairs.synced;
import static org.assertj.core.api.Assertions.assertThat;

class ConflictDetectorTest {
    final ConflictDetector detector = new ConflictDetector();

    @Test
    void bothSidesChangedMappedFields_isAConflict_namingTheFields() {
        Detection d = detector.detect(fo(at(10), "OrganizationName", "Contoso Ltd"), synced(),
                dv(105, at(8), "description", "new memo"));
        assertThat(d.conflict()).isTrue();
        assertThat(d.changedHere()).containsExactly("OrganizationName");
        assertThat(d.changedThere()).containsExactly("description");
        assertThat(d.reason()).contains("fo changed [OrganizationName]").contains("dataverse changed [description]");
    }

    @Test
    void otherSideUnchangedSinceTheLastSync_isNoConflict() {
        Detection d = detector.detect(fo(at(10), "OrganizationName", "Contoso Ltd"), synced(), dv(100, at(0)));
        assertThat(d.conflict()).isFalse();
        assertThat(d.reason()).contains("still at version 100");
    }

    @Test
    void otherSideVersionMovedButMappedValuesAsSynced_isNoConflict() {
        // Our own write, or a change of columns the map does not carry, moves the version only.
        Detection d = detector.detect(fo(at(10), "OrganizationName", "Contoso Ltd"), synced(), dv(107, at(9)));
        assertThat(d.conflict()).isFalse();
        assertThat(d.reason()).contains("mapped values are as last synced");
    }

    @Test
    void numbersEqualByValue_doNotCountAsAChange() {
        Detection d = detector.detect(fo(at(10), "OrganizationName", "X"), synced(),
                dv(107, at(9), "creditlimit", new java.math.BigDecimal("1000.00")));
        assertThat(d.conflict()).isFalse();
    }

    @Test
    void incomingSideChangedNothingMapped_isNoConflict() {
        Detection d = detector.detect(fo(at(10)), synced(), dv(105, at(8), "name", "Other"));
        assertThat(d.conflict()).isFalse();
        assertThat(d.reason()).contains("no mapped field of fo changed");
    }

    @Test
    void neverSyncedOrOtherSideNotRead_isNoConflict() {
        assertThat(detector.detect(fo(at(1), "OrganizationName", "X"), null, dv(5, at(0), "name", "Y")).conflict()).isFalse();
        Detection notRead = detector.detect(fo(at(1), "OrganizationName", "X"), synced(), null);
        assertThat(notRead.conflict()).isFalse();
        assertThat(notRead.reason()).contains("If-Match");
    }

    @Test
    void aSideWithoutVersions_isJudgedByItsValues() {
        MappedRecord dvIncoming = dv(110, at(10), "name", "From Dataverse");
        assertThat(detector.detect(dvIncoming, synced(), fo(at(9), "SalesMemo", "fo memo")).conflict()).isTrue();
        assertThat(detector.detect(dvIncoming, synced(), fo(at(9))).conflict()).isFalse();
    }

    @Test
    void preconditionFailed_withMappedChanges_isAConflict() {
        Detection d = detector.onPreconditionFailed(fo(at(10), "OrganizationName", "X"), synced(),
                dv(105, at(8), "name", "Y"));
        assertThat(d.conflict()).isTrue();
        assertThat(d.reason()).contains("412");
    }

    @Test
    void preconditionFailed_withOnlyUnmappedChanges_saysRetryWithTheNewEtag() {
        Detection d = detector.onPreconditionFailed(fo(at(10), "OrganizationName", "X"), synced(), dv(105, at(8)));
        assertThat(d.conflict()).isFalse();
        assertThat(d.reason()).contains("retry with its new ETag");
    }

    @Test
    void preconditionFailed_onARecordGone_isAConflict() {
        Detection d = detector.onPreconditionFailed(fo(at(10), "OrganizationName", "X"), synced(), null);
        assertThat(d.conflict()).isTrue();
        assertThat(d.reason()).contains("gone");
    }

    @Test
    void mappedRecord_readsMapPaths_includingLookupsExpandedOrFlattened() {
        var map = Maps.compile("""
                map customers
                  fo        CustomersV3 key CustomerAccount
                  dataverse accounts key accountnumber
                  CustomerAccount <-> accountnumber
                  CustomerGroupId <-> msdyn_customergroupid.msdyn_groupid
                  SalesMemo       <-> description
                """);
        MappedRecord expanded = MappedRecord.of(map, Side.DATAVERSE, Map.of("accountnumber", "US-001",
                "msdyn_customergroupid", Map.of("msdyn_groupid", "10"), "telephone1", "555"), 7, at(1), "W/\"7\"");
        assertThat(expanded.values()).containsExactly(Map.entry("accountnumber", "US-001"),
                Map.entry("msdyn_customergroupid.msdyn_groupid", "10"));
        MappedRecord flat = MappedRecord.of(map, Side.DATAVERSE,
                Map.of("msdyn_customergroupid.msdyn_groupid", "20"), 8, null, null);
        assertThat(flat.values()).containsExactly(Map.entry("msdyn_customergroupid.msdyn_groupid", "20"));
        assertThat(MappedRecord.of(map, Side.FO, Map.of("SalesMemo", "m", "Other", 1), 0, null, null).values())
                .containsExactly(Map.entry("SalesMemo", "m"));
    }
}
