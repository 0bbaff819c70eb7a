package io.dualsync.emulator.fo.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The value formats and registration rules of F&O events, without a server. */
class FoEventsFormatsTest {

    @Test
    void virtualEntityId_isEntityIdThenZerosThenRecIdLittleEndian() {
        // A delivered data event's Target.Id, 00004951-0000-0000-5e1a-005001000000, holds RecId 5637151326.
        UUID id = RecIds.virtualEntityId("mserp_custcustomergroupentity", 5_637_151_326L);
        assertThat(id.toString()).startsWith("0000").endsWith("-0000-0000-5e1a-005001000000");
        assertThat(RecIds.virtualEntityId("mserp_custcustomergroupentity", 5_637_151_326L)).isEqualTo(id);
    }

    @Test
    void recIds_areSharedByRowsAndEvents_soControlNumbersHaveGaps() {
        RecIds ids = new RecIds();
        long row = ids.ofRow("CustomersV3", "a");
        long event = ids.next();
        assertThat(row).isEqualTo(RecIds.FIRST);
        assertThat(ids.ofRow("customersv3", "a")).as("same row, same RecId").isEqualTo(row);
        assertThat(ids.ofRow("CustomersV3", "b")).isGreaterThan(event);
        ids.forget("CustomersV3", "a");
        assertThat(ids.ofRow("CustomersV3", "a")).as("a new record after a delete").isGreaterThan(event);
    }

    @Test
    void dates_useDotNetFormats() {
        Instant t = Instant.parse("2022-12-30T13:51:15.2942742Z");
        assertThat(Formats.iso7(t)).isEqualTo("2022-12-30T13:51:15.2942742Z");
        assertThat(Formats.iso7(Instant.parse("2022-12-30T13:51:00Z"))).isEqualTo("2022-12-30T13:51:00.0000000Z");
        assertThat(Formats.dotNetDate(1570769681000L)).isEqualTo("/Date(1570769681000)/");
        assertThat(Formats.dotNetDateUtc(Instant.ofEpochMilli(1506409448000L))).isEqualTo("/Date(1506409448000+0000)/");
        assertThat(Formats.epochMillis("2019-10-11")).isEqualTo(Instant.parse("2019-10-11T00:00:00Z").toEpochMilli());
        assertThat(Formats.epochMillis("1900-01-01")).as("F&O's empty date").isNull();
        assertThat(Formats.epochMillis(null)).isNull();
    }

    @Test
    void registration_defaultsToAllDataEvents_andAcceptsOnExternalNames() {
        Endpoint all = Endpoint.parse(new JsonObject().put("url", "https://example.test/x").put("kind", "data")
                .put("entitySet", "CustomersV3"));
        assertThat(all.events()).containsExactlyInAnyOrder(DataEvent.values());
        assertThat(all.wantsData("customersv3", DataEvent.Updated)).isTrue();
        assertThat(all.wantsData("VendorsV2", DataEvent.Updated)).isFalse();

        Endpoint some = Endpoint.parse(new JsonObject().put("url", "https://example.test/x").put("kind", "data")
                .put("entitySets", new JsonArray().add("CustomersV3")).put("events", new JsonArray().add("OnExternalDeleted"))
                .put("legalEntity", "usmf"));
        assertThat(some.events()).containsExactly(DataEvent.Deleted);
        assertThat(some.acceptsCompany("USMF")).isTrue();
        assertThat(some.acceptsCompany("dat")).isFalse();
        assertThat(some.acceptsCompany(null)).as("global entities are not company-specific").isTrue();
    }

    @Test
    void registration_ofBusinessEvents_usesTheCatalogOrACustomDefinition() {
        Endpoint e = Endpoint.parse(new JsonObject().put("url", "http://127.0.0.1:1/x").put("kind", "business")
                .put("businessEventIds", new JsonArray().add("CustomerChangedBusinessEvent")
                        .add(new JsonObject().put("businessEventId", "GroupChangedBusinessEvent").put("entitySet", "CustomerGroups")
                                .put("fields", new JsonArray().add("dataAreaId").add("CustomerGroupId")))));
        assertThat(e.businessEvents()).extracting(BusinessEventDefinition::businessEventId)
                .containsExactly("CustomerChangedBusinessEvent", "GroupChangedBusinessEvent");
        assertThat(e.businessEvents().get(0).contractFields()).containsExactly("dataAreaId", "CustomerAccount");

        assertThatThrownBy(() -> Endpoint.parse(new JsonObject().put("url", "http://x/").put("kind", "business")
                .put("businessEvents", new JsonArray().add(new JsonObject().put("businessEventId", "X").put("entitySet", "CustomersV3")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fields");
    }
}
