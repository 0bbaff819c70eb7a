package io.dualsync.conflict;

import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.dualsync.conflict.Pairs.at;
import static io.dualsync.conflict.Pairs.dv;
import static io.dualsync.conflict.Pairs.fo;
import static io.dualsync.conflict.Pairs.synced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class ManualConflictsTest {
    static final CompiledMap MAP = Maps.customers("conflict manual");
    final AtomicInteger ids = new AtomicInteger();
    final ConflictResolver resolver = new ConflictResolver(Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"),
            ZoneOffset.UTC), () -> "c" + ids.incrementAndGet());
    final Function<String, CompiledMap> maps = name -> name.equals("customers") ? MAP : null;

    @TempDir
    Path dir;

    private ConflictRecord heldConflict(String key) {
        Resolution r = resolver.resolve(MAP, key, fo(at(1), "OrganizationName", "F"),
                dv(105, at(9), "name", "D"), synced(), "both changed");
        assertThat(r.held()).isTrue();
        return r.record();
    }

    @Test
    void heldConflicts_areListed_andSurviveReopen() {
        ConflictRecord first = heldConflict("US-001");
        ConflictRecord second = heldConflict("US-002");
        try (ManualConflicts held = ManualConflicts.open(dir, resolver, maps)) {
            held.hold(first, synced());
            held.hold(second, synced());
        }
        try (ManualConflicts held = ManualConflicts.open(dir, resolver, maps)) {
            assertThat(held.list()).extracting(ConflictRecord::id).containsExactly("c1", "c2");
            assertThat(held.list().get(0).fo().values()).containsEntry("OrganizationName", "F");
            assertThat(held.heldFor("customers", "US-002").record().id()).isEqualTo("c2");
            assertThat(held.heldFor("customers", "US-003")).isNull();
        }
    }

    @Test
    void resolve_withAWinner_writesItToTheOtherSide_andReleasesTheRecord() {
        try (ManualConflicts held = ManualConflicts.open(dir, resolver, maps)) {
            held.hold(heldConflict("US-001"), synced());
            Resolution r = held.resolve("c1", Choice.dataverse());
            assertThat(r.toFo()).containsExactly(entry("name", "D"));
            assertThat(r.toDataverse()).isEmpty();
            assertThat(r.record().id()).isEqualTo("c1");
            assertThat(r.record().outcome()).isEqualTo(ConflictRecord.Outcome.DATAVERSE_WON);
            assertThat(held.list()).isEmpty();
            assertThatThrownBy(() -> held.resolve("c1", Choice.fo())).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("already resolved");
        }
        try (ManualConflicts held = ManualConflicts.open(dir, resolver, maps)) {
            assertThat(held.list()).as("resolved stays resolved after a restart").isEmpty();
        }
    }

    @Test
    void refresh_replacesTheHeldValuesOfOneSide_soTheDecisionUsesTheLatest() {
        try (ManualConflicts held = ManualConflicts.open(dir, resolver, maps)) {
            held.hold(heldConflict("US-001"), synced());
            assertThat(held.refresh("customers", "US-001", new MappedRecord(Side.DATAVERSE, 110, at(20),
                    Map.of("name", "D2"), "W/\"110\""))).isTrue();
            assertThat(held.refresh("customers", "US-404", fo(at(1)))).isFalse();
            ConflictRecord r = held.get("c1").record();
            assertThat(r.dataverse().version()).isEqualTo(110);
            assertThat(r.dataverse().values()).containsEntry("name", "D2").containsEntry("description", "memo");
            assertThat(held.resolve("c1", Choice.dataverse()).toFo()).containsExactly(entry("name", "D2"));
        }
    }

    @Test
    void resolve_rejectsAnUndecidedField_andKeepsTheConflictHeld() {
        try (ManualConflicts held = ManualConflicts.open(dir, resolver, maps)) {
            held.hold(heldConflict("US-001"), synced());
            assertThatThrownBy(() -> held.resolve("c1", Choice.perField(Map.of("SalesMemo", Side.FO))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OrganizationName");
            assertThat(held.list()).hasSize(1);
        }
    }

    @Test
    void choice_parsesTheAdminWords_andNamesAWrongOne() {
        assertThat(Choice.parse("fo", null)).isEqualTo(Choice.fo());
        assertThat(Choice.parse(null, Map.of("name", "dataverse")).fields()).containsEntry("name", Side.DATAVERSE);
        assertThatThrownBy(() -> Choice.parse("crm", null)).hasMessageContaining("winner: `crm` is not a side");
        assertThatThrownBy(() -> Choice.parse(null, Map.of())).hasMessageContaining("needs a winner");
    }

    @Test
    void hold_refusesAConflictThatWasDecided() {
        Resolution decided = resolver.resolve(Maps.customers("conflict fo-wins"), "US-001",
                fo(at(1), "OrganizationName", "F"), dv(105, at(9), "name", "D"), synced(), "x");
        try (ManualConflicts held = ManualConflicts.open(dir, resolver, maps)) {
            assertThatThrownBy(() -> held.hold(decided.record(), synced())).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
