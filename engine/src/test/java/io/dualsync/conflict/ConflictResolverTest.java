package io.dualsync.conflict;

import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Side;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dualsync.conflict.Pairs.at;
import static io.dualsync.conflict.Pairs.dv;
import static io.dualsync.conflict.Pairs.fo;
import static io.dualsync.conflict.Pairs.synced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class ConflictResolverTest {
    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    final AtomicInteger ids = new AtomicInteger();
    final ConflictResolver resolver = new ConflictResolver(Clock.fixed(NOW, ZoneOffset.UTC),
            () -> "c" + ids.incrementAndGet());

    Resolution resolve(String conflictLine, MappedRecord fo, MappedRecord dv) {
        return resolver.resolve(Maps.customers(conflictLine), "US-001", fo, dv, synced(), "both changed");
    }

    @Test
    void foWins_writesFoValuesOfEveryFieldInPlay_toDataverse() {
        Resolution r = resolve("conflict fo-wins", fo(at(1), "OrganizationName", "Fabrikam"),
                dv(105, at(9), "description", "dv memo"));
        assertThat(r.toDataverse()).containsExactly(entry("OrganizationName", "Fabrikam"), entry("SalesMemo", "memo"));
        assertThat(r.toFo()).isEmpty();
        assertThat(r.record().outcome()).isEqualTo(ConflictRecord.Outcome.FO_WON);
        assertThat(r.record().policy()).isEqualTo("fo-wins");
        assertThat(r.record().winners()).containsExactly(entry("OrganizationName", Side.FO), entry("SalesMemo", Side.FO));
    }

    @Test
    void dataverseWins_writesDataverseValuesOfEveryFieldInPlay_toFo() {
        Resolution r = resolve("conflict dataverse-wins", fo(at(9), "OrganizationName", "Fabrikam"),
                dv(105, at(1), "description", "dv memo"));
        assertThat(r.toFo()).containsExactly(entry("name", "Contoso"), entry("description", "dv memo"));
        assertThat(r.toDataverse()).isEmpty();
        assertThat(r.record().outcome()).isEqualTo(ConflictRecord.Outcome.DATAVERSE_WON);
    }

    @Test
    void lastWriterWins_laterModifiedTimeWins() {
        Resolution dvLater = resolve("conflict last-writer-wins", fo(at(5), "OrganizationName", "F"),
                dv(105, at(6), "name", "D"));
        assertThat(dvLater.toFo()).containsExactly(entry("name", "D"));
        assertThat(dvLater.record().outcome()).isEqualTo(ConflictRecord.Outcome.DATAVERSE_WON);

        Resolution foLater = resolve("conflict last-writer-wins", fo(at(7), "OrganizationName", "F"),
                dv(105, at(6), "name", "D"));
        assertThat(foLater.toDataverse()).containsExactly(entry("OrganizationName", "F"));
        assertThat(foLater.record().outcome()).isEqualTo(ConflictRecord.Outcome.FO_WON);
    }

    @Test
    void lastWriterWins_tiesAndAMissingTimeGoToFo_whicheverSideLacksIt() {
        Resolution tie = resolve("conflict last-writer-wins", fo(at(5), "OrganizationName", "F"),
                dv(105, at(5), "name", "D"));
        assertThat(tie.record().outcome()).isEqualTo(ConflictRecord.Outcome.FO_WON);
        assertThat(ConflictResolver.lastWriter(null, null)).isEqualTo(Side.FO);
        // the pipeline knows only the incoming event's time: both events of a concurrent edit must agree
        assertThat(ConflictResolver.lastWriter(null, at(1))).isEqualTo(Side.FO);
        assertThat(ConflictResolver.lastWriter(at(1), null)).isEqualTo(Side.FO);
    }

    @Test
    void merge_takesEachSidesOwnChanges_andTheTieBreakForFieldsChangedOnBoth() {
        MappedRecord fo = fo(at(1), "OrganizationName", "Fabrikam", "SalesMemo", "fo memo");
        MappedRecord dv = dv(105, at(9), "telephone1", "555-2", "description", "dv memo");
        Resolution r = resolve("conflict merge tie-break fo-wins", fo, dv);
        assertThat(r.toDataverse()).containsExactly(entry("OrganizationName", "Fabrikam"), entry("SalesMemo", "fo memo"));
        assertThat(r.toFo()).containsExactly(entry("telephone1", "555-2"));
        assertThat(r.record().outcome()).isEqualTo(ConflictRecord.Outcome.MERGED);
        assertThat(r.record().policy()).isEqualTo("merge tie-break fo-wins");
        assertThat(r.record().winners()).containsEntry("SalesMemo", Side.FO).containsEntry("PrimaryContactPhone", Side.DATAVERSE);
    }

    @Test
    void merge_withoutATieBreak_decidesFieldsChangedOnBothByLastWriter() {
        MappedRecord fo = fo(at(1), "OrganizationName", "Fabrikam", "SalesMemo", "fo memo");
        MappedRecord dv = dv(105, at(9), "telephone1", "555-2", "description", "dv memo");
        Resolution r = resolve("conflict merge", fo, dv);
        assertThat(r.toDataverse()).containsExactly(entry("OrganizationName", "Fabrikam"));
        assertThat(r.toFo()).containsExactly(entry("description", "dv memo"), entry("telephone1", "555-2"));
    }

    @Test
    void fieldOverride_decidesItsFieldWhateverTheMapPolicy() {
        // CreditLimit says dataverse-wins; the map says fo-wins.
        Resolution r = resolve("conflict fo-wins", fo(at(9), "OrganizationName", "F", "CreditLimit", 5000),
                dv(105, at(1), "creditlimit", 2000));
        assertThat(r.toFo()).containsExactly(entry("creditlimit", 2000));
        assertThat(r.toDataverse()).containsExactly(entry("OrganizationName", "F"));
        assertThat(r.record().outcome()).isEqualTo(ConflictRecord.Outcome.MERGED);

        Resolution onlyFoChangedIt = resolve("conflict merge tie-break fo-wins",
                fo(at(9), "CreditLimit", 5000), dv(105, at(1), "name", "D"));
        assertThat(onlyFoChangedIt.toFo()).as("the field's dataverse-wins reverts F&O's change")
                .containsExactly(entry("name", "D"), entry("creditlimit", 1000));
    }

    @Test
    void oneWayField_isDecidedByItsSource_andNeverRevertedFromTheOtherSide() {
        Resolution r = resolve("conflict dataverse-wins", fo(at(1), "InvoiceAddressLatitude", 48.1),
                dv(105, at(9), "name", "D"));
        assertThat(r.toDataverse()).containsExactly(entry("InvoiceAddressLatitude", 48.1));
        assertThat(r.toFo()).containsExactly(entry("name", "D"));

        Resolution dvEditedOneWay = resolve("conflict fo-wins", fo(at(1), "OrganizationName", "F"),
                dv(105, at(9), "address2_latitude", 10.0));
        assertThat(dvEditedOneWay.toDataverse()).containsExactly(entry("OrganizationName", "F"));
        assertThat(dvEditedOneWay.toFo()).isEmpty();
    }

    @Test
    void manual_holdsTheRecord_andWritesNothing() {
        Resolution r = resolve("conflict manual", fo(at(1), "OrganizationName", "F"), dv(105, at(9), "name", "D"));
        assertThat(r.held()).isTrue();
        assertThat(r.toFo()).isEmpty();
        assertThat(r.toDataverse()).isEmpty();
        assertThat(r.record().outcome()).isEqualTo(ConflictRecord.Outcome.HELD);
        assertThat(r.record().fo().values()).containsEntry("OrganizationName", "F");
        assertThat(r.record().dataverse().values()).containsEntry("name", "D");
        assertThat(r.record().dataverse().version()).isEqualTo(105);
        assertThat(r.record().at()).isEqualTo(NOW);
        assertThat(r.record().id()).isEqualTo("c1");
    }

    @Test
    void manualOnAField_holdsTheRecordOnlyWhenThatFieldIsInPlay() {
        CompiledMap map = Maps.compile("""
                map customers
                  fo        CustomersV3 key CustomerAccount
                  dataverse accounts key accountnumber
                  conflict fo-wins
                  CustomerAccount  <-> accountnumber
                  OrganizationName <-> name
                  SalesMemo        <-> description conflict manual
                """);
        Resolution held = resolver.resolve(map, "US-001", fo(at(1), "SalesMemo", "F"), dv(105, at(9), "name", "D"),
                synced(), "both changed");
        assertThat(held.held()).isTrue();
        Resolution notHeld = resolver.resolve(map, "US-001", fo(at(1), "OrganizationName", "F"),
                dv(105, at(9), "name", "D"), synced(), "both changed");
        assertThat(notHeld.held()).isFalse();
        assertThat(notHeld.toDataverse()).containsExactly(entry("OrganizationName", "F"));
    }

    @Test
    void mergeTieBreakManual_holdsOnlyWhenAFieldChangedOnBothSides() {
        Resolution clean = resolve("conflict merge tie-break manual", fo(at(1), "OrganizationName", "F"),
                dv(105, at(9), "description", "D"));
        assertThat(clean.held()).isFalse();
        assertThat(clean.record().outcome()).isEqualTo(ConflictRecord.Outcome.MERGED);
        Resolution clash = resolve("conflict merge tie-break manual", fo(at(1), "OrganizationName", "F"),
                dv(105, at(9), "name", "D"));
        assertThat(clash.held()).isTrue();
    }

    @Test
    void aWinnerValueNotGiven_isNotWritten_andTheRecordSaysSo() {
        MappedRecord partialFo = new MappedRecord(Side.FO, 0, at(9), Map.of("OrganizationName", "F"), null);
        Resolution r = resolve("conflict fo-wins", partialFo, dv(105, at(1), "description", "D"));
        assertThat(r.toDataverse()).containsExactly(entry("OrganizationName", "F"));
        assertThat(r.record().detail()).contains("not written").contains("SalesMemo");
    }

    @Test
    void decideManually_perField_withAWinnerForTheRest() {
        MappedRecord fo = fo(at(1), "OrganizationName", "F", "SalesMemo", "fo memo");
        MappedRecord dv = dv(105, at(9), "name", "D", "description", "dv memo");
        Resolution r = resolver.decideManually(Maps.customers("conflict manual"), "US-001", fo, dv, synced(),
                new Choice(Side.DATAVERSE, Map.of("OrganizationName", Side.FO)), "held");
        assertThat(r.toDataverse()).containsExactly(entry("OrganizationName", "F"));
        assertThat(r.toFo()).containsExactly(entry("description", "dv memo"));
        assertThat(r.record().policy()).isEqualTo("manual");
        assertThat(r.record().outcome()).isEqualTo(ConflictRecord.Outcome.MERGED);

        Resolution byDataverseName = resolver.decideManually(Maps.customers("conflict manual"), "US-001", fo, dv,
                synced(), Choice.perField(Map.of("name", Side.DATAVERSE, "SalesMemo", Side.FO)), "held");
        assertThat(byDataverseName.toFo()).containsExactly(entry("name", "D"));
        assertThat(byDataverseName.toDataverse()).containsExactly(entry("SalesMemo", "fo memo"));

        assertThatThrownBy(() -> resolver.decideManually(Maps.customers("conflict manual"), "US-001", fo, dv,
                synced(), Choice.perField(Map.of("name", Side.DATAVERSE)), "held"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no side chosen for SalesMemo");
    }
}
