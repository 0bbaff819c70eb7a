package io.dualsync.conflict;

import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.MapCompiler;
import io.dualsync.mapping.schema.SchemaSet;

/** Small maps for the conflict and dedup tests, compiled from text like the shipped ones. */
public final class Maps {
    private Maps() {
    }

    /**
     * A customers map with the given map-level conflict line: key CustomerAccount <-> accountnumber,
     * name, credit limit (own policy dataverse-wins), memo, phone, and a one-way latitude.
     */
    public static CompiledMap customers(String conflictLine) {
        return compile("""
                map customers
                  fo        CustomersV3 key CustomerAccount
                  dataverse accounts key accountnumber
                  %s

                  CustomerAccount        <-> accountnumber
                  OrganizationName       <-> name
                  CreditLimit            <-> creditlimit conflict dataverse-wins
                  SalesMemo              <-> description
                  PrimaryContactPhone    <-> telephone1
                  InvoiceAddressLatitude ->  address2_latitude
                """.formatted(conflictLine));
    }

    public static CompiledMap compile(String text) {
        MapCompiler.Result r = MapCompiler.compile("test.map", text, SchemaSet.empty());
        if (!r.ok()) {
            StringBuilder b = new StringBuilder("map does not compile:\n");
            r.diagnostics().forEach(d -> b.append(d.render()));
            throw new AssertionError(b.toString());
        }
        return r.maps().get(0);
    }
}
