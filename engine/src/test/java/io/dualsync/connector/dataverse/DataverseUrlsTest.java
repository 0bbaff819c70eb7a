package io.dualsync.connector.dataverse;

import io.dualsync.mapping.MapCompiler;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.schema.SchemaSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataverseUrlsTest {
    private static final String COMPANY = "66b93aff-76d8-3362-8734-a288f78cf290";
    private static final SchemaSet SCHEMAS = Schemas.examples();

    @Test
    void predicate_joinsLiteralsInOrder() {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("_msdyn_company_value", COMPANY);
        parts.put("accountnumber", "'A-1'");

        assertThat(DataverseUrls.predicate(parts)).isEqualTo("_msdyn_company_value=" + COMPANY + ",accountnumber='A-1'");
    }

    @Test
    void lookupProperty_andBack() {
        assertThat(DataverseUrls.lookupProperty("msdyn_company")).isEqualTo("_msdyn_company_value");
        assertThat(DataverseUrls.navigationOf("_msdyn_company_value")).isEqualTo("msdyn_company");
        assertThat(DataverseUrls.navigationOf("accountnumber")).isNull();
        assertThat(DataverseUrls.navigationOf("__value")).isNull();
    }

    @Test
    void reference_byASingleColumnKey() {
        assertThat(DataverseUrls.reference(SCHEMAS.get(Side.DATAVERSE, "transactioncurrencies"), "transactioncurrencies",
                "isocurrencycode", "EUR", Map.of())).isEqualTo("isocurrencycode='EUR'");
    }

    @Test
    void reference_toACompanyTable_takesTheCompanyOfTheRecord() {
        assertThat(DataverseUrls.reference(SCHEMAS.get(Side.DATAVERSE, "msdyn_customergroups"), "msdyn_customergroups",
                "msdyn_groupid", "10", Map.of("msdyn_company", COMPANY)))
                .isEqualTo("_msdyn_company_value=" + COMPANY + ",msdyn_groupid='10'");
    }

    @Test
    void reference_toACompanyTable_withoutACompany_saysWhatIsMissing() {
        assertThatThrownBy(() -> DataverseUrls.reference(SCHEMAS.get(Side.DATAVERSE, "msdyn_customergroups"),
                "msdyn_customergroups", "msdyn_groupid", "10", Map.of()))
                .hasMessageContaining("msdyn_customergroups rows are identified by (msdyn_company, msdyn_groupid)")
                .hasMessageContaining("no msdyn_company");
    }

    @Test
    void relatedSet_comesFromTheSchema() {
        assertThat(DataverseUrls.relatedSet(SCHEMAS.get(Side.DATAVERSE, "accounts"), "accounts", "msdyn_company"))
                .isEqualTo("cdm_companies");
        assertThatThrownBy(() -> DataverseUrls.relatedSet(SCHEMAS.get(Side.DATAVERSE, "accounts"), "accounts", "name"))
                .hasMessageContaining("accounts.name is not a lookup column");
        assertThatThrownBy(() -> DataverseUrls.relatedSet(null, "widgets", "x")).hasMessageContaining("add widgets.schema.json");
    }

    @Test
    void pathsRead_areTheLookupPathsOfTheMaps() throws Exception {
        Path map = Path.of("..", "examples", "maps", "customers.map");
        var compiled = MapCompiler.compile(List.of(new SourceFile(map.toString(), Files.readString(map))), SCHEMAS);

        Map<String, Map<String, Set<String>>> paths = DataverseUrls.pathsRead(compiled.maps());

        assertThat(paths.get("accounts")).containsEntry("msdyn_company", Set.of("cdm_companycode"))
                .containsEntry("transactioncurrencyid", Set.of("isocurrencycode"))
                .containsEntry("msdyn_customergroupid", Set.of("msdyn_groupid"))
                .doesNotContainKey("name");
    }

    @Test
    void keyColumns_leaveOutLookups() {
        assertThat(DataverseUrls.keyColumns(SCHEMAS.get(Side.DATAVERSE, "msdyn_customergroups"))).containsExactly("msdyn_groupid");
        assertThat(DataverseUrls.keyColumns(null)).isEmpty();
    }

    @Test
    void idFromEntityId() {
        assertThat(DataverseUrls.idFromEntityId("https://org/api/data/v9.2/accounts(" + COMPANY + ")")).isEqualTo(COMPANY);
        assertThat(DataverseUrls.idFromEntityId("https://org/api/data/v9.2/accounts(accountnumber='x')")).isNull();
        assertThat(DataverseUrls.idFromEntityId(null)).isNull();
    }

    @Test
    void version_fromVersionNumberOrEtag() {
        assertThat(DataverseConnector.version(1024L, "W/\"1\"")).isEqualTo(1024);
        assertThat(DataverseConnector.version(null, "W/\"1025\"")).isEqualTo(1025);
        assertThat(DataverseConnector.version(null, null)).isZero();
    }
}
