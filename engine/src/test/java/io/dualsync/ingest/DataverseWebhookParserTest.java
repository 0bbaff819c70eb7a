package io.dualsync.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class DataverseWebhookParserTest {
    private static final Instant RECEIVED = Instant.parse("2026-01-02T03:04:05Z");
    private static final String ACCOUNT_ID = "e7de138e-152d-435d-a7ec-a3adb7b7624f";
    private static final String USMF_ID = "66b93aff-76d8-3362-8734-a288f78cf290";

    private final DataverseWebhookParser parser = new DataverseWebhookParser(Fixtures.catalog());

    @Test
    void referencePayload_contactUpdate_becomesUpdateOfContacts() {
        ChangeEvent e = parser.parse(Fixtures.json(Fixtures.DATAVERSE_REFERENCE), RECEIVED);

        assertThat(e.source()).isEqualTo(Side.DATAVERSE);
        assertThat(e.entity()).isEqualTo("contacts");
        assertThat(e.operation()).isEqualTo(Operation.UPDATE);
        assertThat(e.recordId()).isEqualTo("6d81597f-0f9f-e711-8122-000d3aa2331c");
        assertThat(e.key()).containsExactly(entry("contactid", "6d81597f-0f9f-e711-8122-000d3aa2331c"));
        assertThat(e.values())
                .contains(entry("firstname", "James"), entry("fullname", "James Glynn (sample)"),
                        entry("modifiedon", "2017-09-26T00:04:07Z"),
                        entry("_modifiedby_value", "75c2dd85-e89e-e711-8122-000d3aa2331c"))
                .containsKey("modifiedonbehalfby");
        assertThat(e.version()).isZero();
        assertThat(e.modifiedAt()).isEqualTo(Instant.ofEpochMilli(1506384247000L));
        assertThat(e.initiatingUser()).isEqualTo("75c2dd85-e89e-e711-8122-000d3aa2331c");
        assertThat(e.correlationId()).isEqualTo("b374239d-4233-41a9-8b17-a86cb4f737b5");
        assertThat(e.tag()).isNull();
        assertThat(e.receivedAt()).isEqualTo(RECEIVED);
        // No version and no RequestId in the sample: the async operation's id tells deliveries apart.
        assertThat(e.eventId()).isEqualTo("b374239d-4233-41a9-8b17-a86cb4f737b5:6d81597f-0f9f-e711-8122-000d3aa2331c:Update:"
                + "4af10637-4ea2-e711-8122-000d3aa2331c");
    }

    @Test
    void emulatorCreate_lookupsMoneyChoicesAndDates_becomeWebApiValues() {
        ChangeEvent e = parser.parse(Fixtures.json(Fixtures.DV_CREATE), RECEIVED);

        assertThat(e.entity()).isEqualTo("accounts");
        assertThat(e.operation()).isEqualTo(Operation.CREATE);
        assertThat(e.values()).contains(
                entry("name", "Ingest Test"),
                entry("accountnumber", "IT-001"),
                entry("_msdyn_company_value", USMF_ID),
                entry("creditlimit", new BigDecimal("1234.5")),
                entry("customertypecode", 3L),
                entry("statecode", 0L),
                entry("createdon", "2026-11-26T12:27:12Z"));
        assertThat(e.values()).doesNotContainKeys("msdyn_company", "createdby");
        assertThat(e.values().get("_createdby_value")).isEqualTo("00000000-0000-0000-0000-000000000001");
        assertThat(e.version()).isEqualTo(1024);
        assertThat(e.eventId()).isEqualTo("aa4e6a19-bc11-407c-a71e-e360a43a82cb:1024");
        assertThat(e.tag()).isEqualTo("dualsync-echo");
        assertThat(e.key()).containsExactly(entry("accountid", ACCOUNT_ID),
                entry("_msdyn_company_value", USMF_ID), entry("accountnumber", "IT-001"));
        assertThat(e.modifiedAt()).isEqualTo(Instant.parse("2026-11-26T12:27:12Z"));
    }

    @Test
    void emulatorUpdate_valuesAreTargetOverlaidByPostImage_versionFromPostImage() {
        ChangeEvent e = parser.parse(Fixtures.json(Fixtures.DV_UPDATE), RECEIVED);

        assertThat(e.operation()).isEqualTo(Operation.UPDATE);
        assertThat(e.values()).contains(entry("name", "Ingest Test 2"), entry("creditlimit", new BigDecimal("99")),
                entry("accountnumber", "IT-001")); // accountnumber only in the post image
        assertThat(e.version()).isEqualTo(1025);
        assertThat(e.eventId()).isEqualTo("67a52514-e0fd-46b7-a554-d45f52cef0e8:1025");
    }

    @Test
    void emulatorDelete_targetIsReference_keyAndValuesFromPreImage_versionUnknown() {
        ChangeEvent e = parser.parse(Fixtures.json(Fixtures.DV_DELETE), RECEIVED);

        assertThat(e.operation()).isEqualTo(Operation.DELETE);
        assertThat(e.recordId()).isEqualTo(ACCOUNT_ID);
        assertThat(e.key()).containsEntry("accountid", ACCOUNT_ID).containsEntry("accountnumber", "IT-001")
                .containsEntry("_msdyn_company_value", USMF_ID);
        assertThat(e.values()).containsEntry("name", "Ingest Test 2");
        assertThat(e.version()).isZero();
        assertThat(e.eventId()).isEqualTo("e8d0741c-56ce-4b34-a37d-0f1de05a8f75:" + ACCOUNT_ID + ":Delete:3fa277ac-d682-3551-90b1-e574de51eb79");
    }

    @Test
    void deleteWithoutImages_hasOnlyThePrimaryIdAsKey() {
        ObjectNode body = Fixtures.object(Fixtures.DV_DELETE);
        body.putArray("PreEntityImages");

        ChangeEvent e = parser.parse(body, RECEIVED);

        assertThat(e.key()).containsExactly(entry("accountid", ACCOUNT_ID));
        assertThat(e.values()).isEmpty();
    }

    @Test
    void sameDeliveryTwice_hasTheSameEventId() {
        ChangeEvent first = parser.parse(Fixtures.json(Fixtures.DATAVERSE_REFERENCE), RECEIVED);
        ChangeEvent retry = parser.parse(Fixtures.json(Fixtures.DATAVERSE_REFERENCE), RECEIVED.plusSeconds(60));

        assertThat(retry.eventId()).isEqualTo(first.eventId());
    }

    @Test
    void payloadCutForSize_hasNullValues_soTheRecordIsReadFromDataverse() {
        ObjectNode body = Fixtures.object(Fixtures.DV_UPDATE);
        body.putNull("ParentContext");
        body.putArray("InputParameters");
        body.putArray("PostEntityImages");
        body.putArray("PreEntityImages");

        ChangeEvent e = parser.parse(body, RECEIVED);

        assertThat(e.operation()).isEqualTo(Operation.UPDATE);
        assertThat(e.recordId()).isEqualTo(ACCOUNT_ID);
        assertThat(e.values()).isNull();
    }

    @Test
    void tableNotSynced_is422NamingIt() {
        ObjectNode body = Fixtures.object(Fixtures.DATAVERSE_REFERENCE);
        body.put("PrimaryEntityName", "lead");

        assertThatThrownBy(() -> parser.parse(body, RECEIVED))
                .isInstanceOfSatisfying(IngestException.class, x -> {
                    assertThat(x.status()).isEqualTo(422);
                    assertThat(x.code()).isEqualTo("unknown-entity");
                    assertThat(x.getMessage()).contains("'lead'").contains("accounts");
                });
    }

    @Test
    void messageOtherThanCreateUpdateDelete_is422() {
        ObjectNode body = Fixtures.object(Fixtures.DATAVERSE_REFERENCE);
        body.put("MessageName", "Assign");

        assertThatThrownBy(() -> parser.parse(body, RECEIVED))
                .isInstanceOfSatisfying(IngestException.class, x -> assertThat(x.status()).isEqualTo(422))
                .hasMessageContaining("Assign");
    }

    @Test
    void notAnExecutionContext_is400() {
        ObjectNode body = Fixtures.object(Fixtures.DATAVERSE_REFERENCE);
        body.remove("MessageName");

        assertThatThrownBy(() -> parser.parse(body, RECEIVED))
                .isInstanceOfSatisfying(IngestException.class, x -> assertThat(x.status()).isEqualTo(400))
                .hasMessageContaining("MessageName");
        assertThatThrownBy(() -> parser.parse(Jsons.parse("[1,2]".getBytes()), RECEIVED))
                .isInstanceOfSatisfying(IngestException.class, x -> assertThat(x.status()).isEqualTo(400));
    }

    @Test
    void noRecordId_is422MissingKey() {
        ObjectNode body = Fixtures.object(Fixtures.DV_DELETE);
        body.remove("PrimaryEntityId");
        ((ObjectNode) ((ArrayNode) body.get("InputParameters")).get(0).get("value")).remove("Id");

        assertThatThrownBy(() -> parser.parse(body, RECEIVED))
                .isInstanceOfSatisfying(IngestException.class, x -> assertThat(x.code()).isEqualTo("missing-key"));
    }
}
