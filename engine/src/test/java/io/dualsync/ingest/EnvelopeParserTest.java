package io.dualsync.ingest;

import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class EnvelopeParserTest {
    private static final Instant RECEIVED = Instant.parse("2026-01-02T03:04:05Z");

    private final EnvelopeParser parser = new EnvelopeParser(Fixtures.catalog());

    private List<ChangeEvent> parse(String json) {
        return parser.parse(Jsons.parse(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8)), RECEIVED);
    }

    private IngestException refused(String json) {
        try {
            parse(json);
        } catch (IngestException e) {
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void foEvent_allMembers_mirrorChangeEvent() {
        ChangeEvent e = parse("{'eventId': 'erp-1:7', 'source': 'fo', 'entity': 'customersv3', 'operation': 'update',"
                + " 'key': {'DATAAREAID': 'usmf', 'CustomerAccount': 'US-001'},"
                + " 'values': {'OrganizationName': 'Contoso', 'CreditLimit': 1000.50, 'OrganizationNumberOfEmployees': 12, 'SalesMemo': null},"
                + " 'version': 7, 'modifiedAt': '2024-05-01T12:15:30+02:00', 'initiatingUser': 'erp', 'tag': 't', 'correlationId': 'c'}").get(0);

        assertThat(e.eventId()).isEqualTo("erp-1:7");
        assertThat(e.source()).isEqualTo(Side.FO);
        assertThat(e.entity()).isEqualTo("CustomersV3");
        assertThat(e.operation()).isEqualTo(Operation.UPDATE);
        assertThat(e.key()).containsExactly(entry("dataAreaId", "usmf"), entry("CustomerAccount", "US-001"));
        assertThat(e.recordId()).isEqualTo("dataAreaId='usmf',CustomerAccount='US-001'");
        assertThat(e.values()).containsEntry("CreditLimit", new BigDecimal("1000.50"))
                .containsEntry("OrganizationNumberOfEmployees", 12L).containsEntry("SalesMemo", null);
        assertThat(e.version()).isEqualTo(7);
        assertThat(e.modifiedAt()).isEqualTo(Instant.parse("2024-05-01T10:15:30Z"));
        assertThat(e.initiatingUser()).isEqualTo("erp");
        assertThat(e.tag()).isEqualTo("t");
        assertThat(e.correlationId()).isEqualTo("c");
        assertThat(e.receivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void minimalEvent_defaults_versionZero_modifiedAtReceived_valuesNullMeansRead() {
        ChangeEvent e = parse("{'eventId': 'x', 'source': 'dataverse', 'entity': 'account', 'operation': 'DELETE',"
                + " 'key': {'accountid': 'E7DE138E-152D-435D-A7EC-A3ADB7B7624F'}}").get(0);

        assertThat(e.entity()).isEqualTo("accounts");
        assertThat(e.recordId()).isEqualTo("e7de138e-152d-435d-a7ec-a3adb7b7624f");
        assertThat(e.values()).isNull();
        assertThat(e.version()).isZero();
        assertThat(e.modifiedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void dataverseByAlternateKey_recordIdIsTheKeyPredicate() {
        ChangeEvent e = parser.parse(Jsons.parse(("{\"eventId\": \"x\", \"source\": \"dataverse\", \"entity\": \"accounts\","
                + " \"operation\": \"update\", \"key\": {\"_msdyn_company_value\": \"66b93aff-76d8-3362-8734-a288f78cf290\","
                + " \"accountnumber\": \"O'Neil\"}}").getBytes(StandardCharsets.UTF_8)), RECEIVED).get(0);

        assertThat(e.recordId()).isEqualTo("msdyn_company='66b93aff-76d8-3362-8734-a288f78cf290',accountnumber='O''Neil'");
    }

    @Test
    void aList_givesEveryEventInOrder() {
        List<ChangeEvent> events = parse("[{'eventId': 'a', 'source': 'fo', 'entity': 'CustomersV3', 'operation': 'create',"
                + " 'key': {'dataAreaId': 'usmf', 'CustomerAccount': 'A'}},"
                + " {'eventId': 'b', 'source': 'fo', 'entity': 'CustomersV3', 'operation': 'delete',"
                + " 'key': {'dataAreaId': 'usmf', 'CustomerAccount': 'B'}}]");

        assertThat(events).extracting(ChangeEvent::eventId).containsExactly("a", "b");
    }

    @Test
    void oneBadEventInAList_refusesTheList_namingItsPosition() {
        IngestException x = refused("[{'eventId': 'a', 'source': 'fo', 'entity': 'CustomersV3', 'operation': 'create',"
                + " 'key': {'dataAreaId': 'usmf', 'CustomerAccount': 'A'}},"
                + " {'eventId': 'b', 'source': 'fo', 'entity': 'CustomersV3', 'operation': 'remove',"
                + " 'key': {'dataAreaId': 'usmf', 'CustomerAccount': 'B'}}]");

        assertThat(x.status()).isEqualTo(400);
        assertThat(x.getMessage()).contains("event [1]").contains("'operation'");
    }

    @Test
    void wrongShapes_are400WithWhatIsWrong() {
        assertThat(refused("{'eventId': 'a', 'source': 'sap', 'entity': 'x', 'operation': 'create', 'key': {}}").getMessage())
                .contains("'source'");
        assertThat(refused("{'eventId': 'a', 'source': 'fo', 'entity': 'CustomersV3', 'operation': 'create',"
                + " 'key': {'dataAreaId': 'usmf', 'CustomerAccount': 'A'}, 'valuse': {}}").getMessage())
                .contains("unknown member 'valuse'");
        assertThat(refused("{'source': 'fo', 'entity': 'CustomersV3', 'operation': 'create'}").getMessage())
                .contains("'eventId' is required");
        assertThat(refused("{'eventId': 'a', 'source': 'fo', 'entity': 'CustomersV3', 'operation': 'create',"
                + " 'key': {'dataAreaId': 'usmf', 'CustomerAccount': 'A'}, 'modifiedAt': 'yesterday'}").getMessage())
                .contains("'modifiedAt'");
        assertThat(refused("{'eventId': 'a', 'source': 'fo', 'entity': 'CustomersV3', 'operation': 'create',"
                + " 'key': {'dataAreaId': 'usmf', 'CustomerAccount': 'A'}, 'values': {'Address': {'City': 'x'}}}").getMessage())
                .contains("values.Address");
        assertThat(refused("{'eventId': 'a', 'source': 'fo', 'entity': 'CustomersV3', 'operation': 'create',"
                + " 'key': {'dataAreaId': 'usmf', 'CustomerAccount': 'A'}, 'version': -1}").status()).isEqualTo(400);
        assertThat(refused("[]").status()).isEqualTo(400);
    }

    @Test
    void unknownEntity_is422() {
        IngestException x = refused("{'eventId': 'a', 'source': 'fo', 'entity': 'SalesOrders', 'operation': 'create', 'key': {'a': 1}}");

        assertThat(x.status()).isEqualTo(422);
        assertThat(x.code()).isEqualTo("unknown-entity");
        assertThat(x.getMessage()).contains("SalesOrders").contains("CustomersV3");
    }

    @Test
    void incompleteKey_is422MissingKey() {
        IngestException fo = refused("{'eventId': 'a', 'source': 'fo', 'entity': 'CustomersV3', 'operation': 'create',"
                + " 'key': {'CustomerAccount': 'A'}}");
        IngestException dv = refused("{'eventId': 'a', 'source': 'dataverse', 'entity': 'accounts', 'operation': 'create',"
                + " 'key': {'accountnumber': 'A'}}");
        IngestException none = refused("{'eventId': 'a', 'source': 'dataverse', 'entity': 'accounts', 'operation': 'create'}");

        assertThat(fo.code()).isEqualTo("missing-key");
        assertThat(fo.getMessage()).contains("dataAreaId");
        assertThat(dv.code()).isEqualTo("missing-key");
        assertThat(dv.getMessage()).contains("accountid");
        assertThat(none.status()).isEqualTo(422);
    }
}
