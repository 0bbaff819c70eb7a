package io.dualsync.emulator.dataverse;

import io.dualsync.mapping.Side;
import io.dualsync.emulator.store.Store;
import io.dualsync.emulator.store.Table;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.syntax.Ast;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parsing and bookkeeping pieces of the Dataverse API, without HTTP. */
class DataverseUnitsTest {

    @Test
    void keysKeepDoubledQuotesAndParenthesesInsideLiterals() {
        ResourcePath p = ResourcePath.parse("accounts(accountnumber='O''Brien (1)',_msdyn_company_value=0A1B2C3D-0000-0000-0000-000000000001)/name");
        assertThat(p.entitySet()).isEqualTo("accounts");
        assertThat(p.segments()).containsExactly("name");
        Map<String, String> parts = p.keyParts();
        assertThat(ResourcePath.literal(parts.get("accountnumber"))).isEqualTo("O'Brien (1)");
        assertThat(ResourcePath.literal(parts.get("_msdyn_company_value"))).isEqualTo("0a1b2c3d-0000-0000-0000-000000000001");
        assertThat(ResourcePath.literal("42")).isEqualTo(42L);
        assertThat(ResourcePath.parse("accounts/$count").segments()).containsExactly("$count");
    }

    @Test
    void preferHeadersAreSplitOutsideQuotes() {
        ApiRequest r = new ApiRequest("GET", "accounts", "$select=name&tag=a%20b", Map.of("prefer",
                "odata.include-annotations=\"A,B\", odata.maxpagesize=3,return=representation"), null, null, "c", null, Map.of());
        assertThat(r.prefer()).containsEntry("odata.maxpagesize", "3").containsEntry("return", "representation")
                .containsEntry("odata.include-annotations", "A,B");
        assertThat(r.tag).isEqualTo("a b");
        assertThat(r.queryOption("$select")).isEqualTo("name");
    }

    @Test
    void batchBodiesParseWithLfLineEndingsToo() {
        String body = String.join("\n",
                "--batch_1",
                "Content-Type: multipart/mixed; boundary=changeset_2",
                "",
                "--changeset_2",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                "Content-ID: 7",
                "",
                "POST http://host/api/data/v9.2/accounts HTTP/1.1",
                "Content-Type: application/json; type=entry",
                "",
                "{\"name\":\"x\"}",
                "--changeset_2--",
                "--batch_1",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                "",
                "GET /api/data/v9.2/accounts?$select=name HTTP/1.1",
                "",
                "",
                "--batch_1--", "");
        List<Object> items = BatchProcessor.parse(body, BatchProcessor.boundary("multipart/mixed; boundary=\"batch_1\""));
        assertThat(items).hasSize(2);
        BatchProcessor.ChangeSet cs = (BatchProcessor.ChangeSet) items.get(0);
        BatchProcessor.Part post = cs.parts().get(0);
        assertThat(post.contentId()).isEqualTo("7");
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.url()).isEqualTo("http://host/api/data/v9.2/accounts");
        assertThat(post.headers()).containsEntry("Content-Type", "application/json; type=entry");
        assertThat(post.body()).isEqualTo("{\"name\":\"x\"}");
        BatchProcessor.Part get = (BatchProcessor.Part) items.get(1);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.body()).isNull();
    }

    @Test
    void aUnitOfWorkPredictsTheStoresRowVersionsAndTouchesNothingUntilCommit() {
        Store store = new Store();
        Table accounts = store.add(SchemaLoader.builtIn().get(Side.DATAVERSE, "accounts"));
        UnitOfWork uow = new UnitOfWork(store);
        UnitOfWork.Rec a = uow.insert(accounts, "0A000000-0000-0000-0000-000000000001", Map.of("name", "A"));
        UnitOfWork.Rec b = uow.replace(accounts, a, Map.of("name", "B"));
        assertThat(accounts.size()).isZero();
        assertThat(uow.rows(accounts)).extracting(UnitOfWork.Rec::id).containsExactly("0a000000-0000-0000-0000-000000000001");
        assertThat(uow.get(accounts, a.id()).values()).containsEntry("name", "B").containsEntry("versionnumber", b.version());

        uow.commit(new io.dualsync.emulator.EmulatorContext(null, new io.dualsync.emulator.EmulatorOptions(),
                io.dualsync.emulator.EmulatorContext.Kind.DATAVERSE));
        // The context above has its own store; the unit writes to the store it was made for.
        assertThat(accounts.get(a.id()).version()).isEqualTo(b.version());
        assertThat(accounts.get(a.id()).etag()).isEqualTo(b.etag());
    }

    @Test
    void choiceValuesOutsideTheirOptionsAreRefused() {
        var schema = SchemaLoader.builtIn().get(Side.DATAVERSE, "accounts");
        var body = Json.readObject("{\"customertypecode\": 99}");
        assertThatThrownBy(() -> PayloadReader.read(schema, body, true, null, (l, r) -> r))
                .isInstanceOf(DataverseError.class).hasMessageContaining("Accepted Values: 1,2,3");
        assertThat(PayloadReader.read(schema, Json.readObject("{\"customertypecode\": 3, \"creditlimit\": 10.50}"), true, null,
                (l, r) -> r)).containsEntry("customertypecode", 3L).containsEntry("creditlimit", new java.math.BigDecimal("10.50"));
    }

    @Test
    void datesAreStoredInUtcToTheSecond() {
        var schema = SchemaLoader.builtIn().get(Side.DATAVERSE, "accounts");
        var f = new io.dualsync.mapping.schema.FieldDef("when", io.dualsync.mapping.schema.FieldType.DATETIME, false, false,
                null, null, List.of(), Map.of(), null);
        assertThat(PayloadReader.convert(schema, f, Json.readObject("{\"v\":\"2024-03-01T10:15:30.123+02:00\"}").get("v")))
                .isEqualTo("2024-03-01T08:15:30Z");
    }
}
