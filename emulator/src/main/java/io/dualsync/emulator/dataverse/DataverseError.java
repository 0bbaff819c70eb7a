package io.dualsync.emulator.dataverse;

import io.dualsync.mapping.schema.EntitySchema;

/**
 * A failed Web API operation: the HTTP status and the {@code {"error":{"code","message"}}} body the
 * service sends (compose-http-requests-handle-errors.md, "Parse errors from the response"). Thrown
 * by the operation code and turned into a response by whoever runs the operation (the HTTP handler
 * or a {@code $batch} part). The factories below carry the documented codes and message texts; the
 * page each comes from is named on the factory.
 */
final class DataverseError extends RuntimeException {
    /** The code Microsoft's error table has for an invalid argument; used where no page documents one. */
    static final String INVALID_ARGUMENT = "0x80040203";
    static final String PAYLOAD_ERROR = "0x80048d19";

    private final int status;
    private final String code;

    DataverseError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    static DataverseError badRequest(String message) {
        return new DataverseError(400, INVALID_ARGUMENT, message);
    }

    /** support: power-apps/web-api-client-errors.md, "Resource not found for the segment". */
    static DataverseError segmentNotFound(String segment) {
        return new DataverseError(404, "0x8006088a", "Resource not found for the segment '" + segment + "'.");
    }

    /** support: power-apps/web-api-client-errors.md, "Could not find a property named" (code as documented: 0x0). */
    static DataverseError unknownProperty(EntitySchema schema, String name) {
        return new DataverseError(400, "0x0", "Could not find a property named '" + name + "' on type 'Microsoft.Dynamics.CRM."
                + schema.logicalName() + "'.");
    }

    /** support: power-apps/web-api-client-errors.md, "Invalid property ... was found in entity". */
    static DataverseError invalidBodyProperty(EntitySchema schema, String name) {
        return new DataverseError(400, "0x0", "An error occurred while validating input parameters: Microsoft.Crm.CrmException: "
                + "Invalid property '" + name + "' was found in entity 'Microsoft.Dynamics.CRM." + schema.logicalName()
                + "'. ---> Microsoft.OData.ODataException: Does not support untyped value in non-open type.");
    }

    /** support: power-apps/web-api-client-errors.md, "Error identified in Payload provided by the user". */
    static DataverseError payload(EntitySchema schema, String inner) {
        return new DataverseError(400, PAYLOAD_ERROR, "Error identified in Payload provided by the user for Entity :'"
                + schema.entitySet() + "', For more information on this error please follow this help link "
                + "https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: " + inner);
    }

    static DataverseError undeclaredNavigation(EntitySchema schema, String name) {
        return payload(schema, "An undeclared property '" + name + "' which only has property annotations in the payload but no "
                + "property value was found in the payload. In OData, only declared navigation properties and declared named "
                + "streams can be represented as properties without values.");
    }

    static DataverseError cannotConvert(EntitySchema schema, Object literal, String edmType) {
        return payload(schema, "Cannot convert the literal '" + literal + "' to the expected type '" + edmType + "'.");
    }

    /** execute-batch-operations-using-web-api.md, "Handling errors" example (0x80044331, two spaces as shown). */
    static DataverseError tooLong(EntitySchema schema, String attribute, int max) {
        return new DataverseError(400, "0x80044331", "A validation error occurred.  The length of the '" + attribute
                + "' attribute of the '" + schema.logicalName() + "' entity exceeded the maximum allowed length of '" + max + "'.");
    }

    /** Not documented on a page: the code the service uses for a choice value outside its options. */
    static DataverseError outsideRange(EntitySchema schema, String attribute, Object value, String accepted) {
        return new DataverseError(400, "0x8004431a", "A validation error occurred. The value " + value + " of '" + attribute
                + "' on record of type '" + schema.logicalName() + "' is outside the valid range. Accepted Values: " + accepted);
    }

    /** Not documented: the service enforces SystemRequired columns; the emulator enforces the schema's mandatory flag. */
    static DataverseError required(EntitySchema schema, String attribute) {
        return badRequest("A value for the required attribute '" + attribute + "' of the '" + schema.logicalName()
                + "' entity must be provided.");
    }

    static DataverseError readOnly(EntitySchema schema, String attribute) {
        return badRequest("The '" + attribute + "' attribute of the '" + schema.logicalName()
                + "' entity is read-only and cannot be set.");
    }

    /**
     * perform-conditional-operations-using-web-api.md, "Prevent create in upsert" (message) with the
     * ObjectDoesNotExist code of the error table (includes/data-service-errors.md).
     */
    static DataverseError doesNotExist(EntitySchema schema, String id) {
        return new DataverseError(404, "0x80040217", schema.logicalName() + " With Id = " + id + " Does Not Exist");
    }

    /** A row looked up by alternate key that is not there (code and text as Microsoft's collaboration-controls page shows them). */
    static DataverseError keyNotFound(EntitySchema schema) {
        return new DataverseError(404, "0x80048d02", "A record with the specified key values does not exist in "
                + schema.logicalName() + " entity");
    }

    /** perform-conditional-operations-using-web-api.md, "Prevent update in upsert"; DuplicateRecord code 0x80040237. */
    static DataverseError duplicate() {
        return new DataverseError(412, "0x80040237", "A record with matching key values already exists.");
    }

    /** perform-conditional-operations-using-web-api.md, "Apply optimistic concurrency"; ConcurrencyVersionMismatch. */
    static DataverseError versionMismatch() {
        return new DataverseError(412, "0x80060882", "The version of the existing record doesn't match the RowVersion property provided.");
    }

    /** use-alternate-key-reference-record.md, "Exceptions when using alternate keys with the Web API". */
    static DataverseError invalidKey(EntitySchema schema) {
        String type = "Microsoft.Dynamics.CRM." + schema.logicalName();
        return new DataverseError(400, "0x0", "The key in the request URI is not valid for resource '" + type + "'. Ensure that "
                + "the names and number of key properties match the declared or alternate key properties for the resource '"
                + type + "'.");
    }

    /** includes/data-service-errors.md: ExpiredVersionStamp. */
    static DataverseError expiredToken() {
        return new DataverseError(400, "0x80044352", "Version stamp associated with the client has expired. Please perform a full sync.");
    }

    /** use-change-tracking-synchronize-data-external-systems.md, "Query options not supported". */
    static DataverseError notWithTracking(String option) {
        return badRequest("The \"" + option + "\" query parameter isn't supported when Change Tracking is enabled.");
    }

    /** execute-batch-operations-using-web-api.md, note under "Reference URIs in an operation". */
    static DataverseError unknownContentId(String reference) {
        return badRequest("Content-ID Reference: '" + reference + "' does not exist in the batch context.");
    }

    /** compose-http-requests-handle-errors.md, status 405 for incorrect method and resource combinations. */
    static DataverseError methodNotAllowed(String method, String resource) {
        return new DataverseError(405, "0x80060888", "The HTTP method '" + method + "' is not allowed on the resource '" + resource + "'.");
    }
}
