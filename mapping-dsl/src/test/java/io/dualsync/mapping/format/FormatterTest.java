package io.dualsync.mapping.format;

import io.dualsync.mapping.MapCompiler;
import io.dualsync.mapping.MapJson;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.schema.SchemaSet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** fmt: canonical layout, comments kept, idempotent, and meaning unchanged. */
class FormatterTest {
    private static final String MESSY = """
            # leading comment

            map   customers   # trailing on header
            fo CustomersV3    key dataAreaId,CustomerAccount
                  dataverse accounts key msdyn_company . cdm_companycode ,accountnumber
            company dataAreaId<->msdyn_company.cdm_companycode
              filter fo (PartyType=="Organization")&&!(CreditLimit>1000)
              filter dataverse customertypecode eq 3 and not contains(name,'x')
                event   CustomerChangedBusinessEvent key dataAreaId=BusinessEventLegalEntity ,CustomerAccount = CustomerAccount



              # a comment about the fields
              CustomerAccount<->accountnumber
              OrganizationName -> name|trim|substring(0,10)   # why: Dataverse limit
              OnHoldStatus <-> msdyn_onholdstatus values {No=0,Invoice=1,Never=null}
                  to dataverse default -1
              none->customertypecode default 3
              Code <-> code
                  to dataverse | upper
                to fo | lower
            map vendors
              fo VendorsV2 key dataAreaId, VendorAccountNumber
              dataverse msdyn_vendors key msdyn_vendoraccountnumber
              VendorAccountNumber -> msdyn_vendoraccountnumber
                event VendorChangedBusinessEvent key dataAreaId =dataAreaId,VendorAccountNumber= VendorAccountNumber
            """;

    private static String fmt(String text) {
        Formatter.Result r = Formatter.format(new SourceFile("t.map", text));
        assertThat(r.errors()).isEmpty();
        return r.text();
    }

    private static String json(String text) {
        MapCompiler.Result r = MapCompiler.compile("t.map", text, SchemaSet.empty());
        assertThat(r.errors()).isEmpty();
        // Lines move when formatting; meaning does not.
        return MapJson.write(r.maps()).replaceAll("\"line\" : \\d+", "\"line\" : 0");
    }

    @Test
    void format_producesTheCanonicalLayout() {
        assertThat(fmt(MESSY)).isEqualTo("""
                # leading comment

                map customers  # trailing on header
                  fo        CustomersV3 key dataAreaId, CustomerAccount
                  dataverse accounts key msdyn_company.cdm_companycode, accountnumber
                  company   dataAreaId <-> msdyn_company.cdm_companycode
                  filter fo (PartyType == "Organization") && !(CreditLimit > 1000)
                  filter dataverse customertypecode eq 3 and not contains(name, 'x')
                  event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = CustomerAccount

                  # a comment about the fields
                  CustomerAccount  <-> accountnumber
                  OrganizationName ->  name               | trim | substring(0, 10)  # why: Dataverse limit
                  OnHoldStatus     <-> msdyn_onholdstatus values { No = 0, Invoice = 1, Never = null }
                    to dataverse default -1
                  none             ->  customertypecode   default 3
                  Code             <-> code
                    to dataverse | upper
                    to fo | lower

                map vendors
                  fo        VendorsV2 key dataAreaId, VendorAccountNumber
                  dataverse msdyn_vendors key msdyn_vendoraccountnumber
                  VendorAccountNumber -> msdyn_vendoraccountnumber
                  event VendorChangedBusinessEvent key dataAreaId = dataAreaId, VendorAccountNumber = VendorAccountNumber
                """);
    }

    @Test
    void format_isIdempotent() {
        String once = fmt(MESSY);
        assertThat(fmt(once)).isEqualTo(once);
    }

    @Test
    void format_keepsMeaning() {
        assertThat(json(fmt(MESSY))).isEqualTo(json(MESSY));
        // The comparison covers the event lines only if they reach the JSON.
        assertThat(json(MESSY)).contains("\"id\" : \"CustomerChangedBusinessEvent\"", "\"VendorAccountNumber\" : \"VendorAccountNumber\"");
    }

    @Test
    void format_refusesFilesWithSyntaxErrors() {
        Formatter.Result r = Formatter.format(new SourceFile("t.map", "map x\n  A = b\n"));
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).singleElement().satisfies(d -> assertThat(d.code()).isEqualTo("E003"));
    }

    @Test
    void examples_areAlreadyFormatted_andRoundTrip() throws IOException {
        List<Path> maps;
        try (Stream<Path> s = Files.walk(Path.of("..", "examples"))) {
            maps = s.filter(p -> p.toString().endsWith(".map")).toList();
        }
        assertThat(maps).isNotEmpty();
        for (Path p : maps) {
            String text = Files.readString(p);
            assertThat(fmt(text)).as("%s is in canonical layout (run dualsync fmt)", p).isEqualTo(text);
            assertThat(json(fmt(text))).isEqualTo(json(text));
        }
    }
}
