package io.dualsync.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class FoEventParserTest {
    private static final Instant RECEIVED = Instant.parse("2026-01-02T03:04:05Z");
    private static final String US_900 = "dataAreaId='usmf',CustomerAccount='US-900'";

    private final FoEventParser parser = new FoEventParser(Fixtures.catalog(), Map.of(
            "CustomerChangedBusinessEvent", new BusinessEventBinding("CustomersV3", Map.of("CustomerAccount", "CustomerAccount")),
            "BusinessEventsAlertEvent", new BusinessEventBinding("AlertRules", Map.of("RuleId", "RuleId"))));

    @Test
    void dataEventCreated_becomesCreateWithEntityFieldNamesAndFoValues() {
        ChangeEvent e = parser.parse(Fixtures.json(Fixtures.FO_CREATED), RECEIVED);

        assertThat(e.source()).isEqualTo(Side.FO);
        assertThat(e.entity()).isEqualTo("CustomersV3");
        assertThat(e.operation()).isEqualTo(Operation.CREATE);
        assertThat(e.recordId()).isEqualTo(US_900);
        assertThat(e.key()).containsExactly(entry("dataAreaId", "usmf"), entry("CustomerAccount", "US-900"));
        assertThat(e.values()).contains(
                entry("OrganizationName", "Ingest F&O"),
                entry("CreditLimit", new BigDecimal("500.25")),
                entry("CreditLimitIsMandatory", "Yes"),      // enum: the symbol, not 200000001
                entry("InvoiceAddress", "InvoiceAccount"),
                entry("OrganizationNumberOfEmployees", 0L));
        assertThat(e.values().keySet()).noneMatch(k -> k.startsWith("mserp_") || k.equals("primaryfield"));
        assertThat(e.version()).isZero();
        assertThat(e.initiatingUser()).isEqualTo("00000000-0000-0000-0000-000000000001");
        assertThat(e.eventId()).startsWith(e.correlationId() + ":");
    }

    @Test
    void dataEventUpdated_carriesTheWholeRecordAfterTheWrite() {
        ChangeEvent e = parser.parse(Fixtures.json(Fixtures.FO_UPDATED), RECEIVED);

        assertThat(e.operation()).isEqualTo(Operation.UPDATE);
        assertThat(e.recordId()).isEqualTo(US_900);
        assertThat(e.values()).containsEntry("OrganizationName", "Ingest F&O 2").containsEntry("CustomerGroupId", "10");
    }

    @Test
    void dataEventDeleted_keyFromTarget_valuesFromPreImage() {
        ChangeEvent e = parser.parse(Fixtures.json(Fixtures.FO_DELETED), RECEIVED);

        assertThat(e.operation()).isEqualTo(Operation.DELETE);
        assertThat(e.key()).containsExactly(entry("dataAreaId", "usmf"), entry("CustomerAccount", "US-900"));
        assertThat(e.values()).containsEntry("OrganizationName", "Ingest F&O 2");
    }

    @Test
    void dataEventWithoutKeyColumns_takesTheKeyFromPrimaryField() {
        ObjectNode body = Fixtures.object(Fixtures.FO_DELETED);
        body.remove("InputParameters");
        body.putArray("InputParameters").addObject().put("key", "Target").putObject("value")
                .put("__type", "Entity:http://schemas.microsoft.com/xrm/2011/Contracts")
                .putArray("Attributes").addObject().put("key", "mserp_primaryfield").put("value", "usmf|US-901");

        ChangeEvent e = parser.parse(body, RECEIVED);

        assertThat(e.recordId()).isEqualTo("dataAreaId='usmf',CustomerAccount='US-901'");
    }

    @Test
    void dataEventOfUnknownVirtualTable_is422() {
        ObjectNode body = Fixtures.object(Fixtures.FO_UPDATED);
        body.put("PrimaryEntityName", "mserp_purchpurchaseorderheaderv2entity");

        assertThatThrownBy(() -> parser.parse(body, RECEIVED))
                .isInstanceOfSatisfying(IngestException.class, x -> assertThat(x.code()).isEqualTo("unknown-entity"))
                .hasMessageContaining("mserp_purchpurchaseorderheaderv2entity").hasMessageContaining("CustomersV3");
    }

    @Test
    void businessEvent_becomesUpdateWithoutValues_keyFromContractAndLegalEntity() {
        ChangeEvent e = parser.parse(Fixtures.json(Fixtures.FO_BUSINESS), RECEIVED);

        assertThat(e.entity()).isEqualTo("CustomersV3");
        assertThat(e.operation()).isEqualTo(Operation.UPDATE);
        assertThat(e.values()).isNull();
        // The binding names only CustomerAccount: the company comes from BusinessEventLegalEntity.
        assertThat(e.key()).containsExactly(entry("dataAreaId", "usmf"), entry("CustomerAccount", "US-900"));
        assertThat(e.recordId()).isEqualTo(US_900);
        assertThat(e.eventId()).isEqualTo("933E802E-651A-4E52-90B6-B069B9D164CC");
        assertThat(e.modifiedAt()).isEqualTo(Instant.parse("2026-11-26T12:27:13.2101438Z"));
        assertThat(e.initiatingUser()).isEqualTo("00000000-0000-0000-0000-000000000001");
    }

    @Test
    void referenceAlertEvent_boundToAnEntity_isReadByItsRuleId() {
        ChangeEvent e = parser.parse(Fixtures.json(Fixtures.FO_ALERT_REFERENCE), RECEIVED);

        assertThat(e.entity()).isEqualTo("AlertRules");
        assertThat(e.key()).containsExactly(entry("RuleId", "000428"));
        assertThat(e.recordId()).isEqualTo("RuleId='000428'");
        assertThat(e.eventId()).isEqualTo("D60A8657-E87C-43A8-8D7D-826EBF0490D7");
        assertThat(e.modifiedAt()).isEqualTo(Instant.ofEpochMilli(1570769681000L));
        assertThat(e.initiatingUser()).isEqualTo("Chris.McKelt");
        assertThat(e.values()).isNull();
    }

    @Test
    void unboundBusinessEvent_is422NamingTheBoundOnes() {
        FoEventParser unbound = new FoEventParser(Fixtures.catalog(), Map.of());

        assertThatThrownBy(() -> unbound.parse(Fixtures.json(Fixtures.FO_ALERT_REFERENCE), RECEIVED))
                .isInstanceOfSatisfying(IngestException.class, x -> assertThat(x.status()).isEqualTo(422))
                .hasMessageContaining("BusinessEventsAlertEvent").hasMessageContaining("not bound");
    }

    @Test
    void businessEventWithoutItsKeyContractField_is422MissingKey() {
        ObjectNode body = Fixtures.object(Fixtures.FO_BUSINESS);
        body.remove("CustomerAccount");

        assertThatThrownBy(() -> parser.parse(body, RECEIVED))
                .isInstanceOfSatisfying(IngestException.class, x -> assertThat(x.code()).isEqualTo("missing-key"))
                .hasMessageContaining("CustomerAccount");
    }

    @Test
    void businessEventWithoutLegalEntity_whenTheCompanyIsNotBound_is422MissingKey() {
        ObjectNode body = Fixtures.object(Fixtures.FO_BUSINESS);
        body.remove("BusinessEventLegalEntity");

        assertThatThrownBy(() -> parser.parse(body, RECEIVED))
                .isInstanceOfSatisfying(IngestException.class, x -> assertThat(x.code()).isEqualTo("missing-key"))
                .hasMessageContaining("dataAreaId");
    }

    @Test
    void neitherShape_is400() {
        assertThatThrownBy(() -> parser.parse(Jsons.parse("{\"hello\": 1}".getBytes()), RECEIVED))
                .isInstanceOfSatisfying(IngestException.class, x -> assertThat(x.status()).isEqualTo(400));
    }
}
