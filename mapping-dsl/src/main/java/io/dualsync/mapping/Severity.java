package io.dualsync.mapping;

/** How bad a {@link Diagnostic} is: an error stops a map from loading, a warning does not. */
public enum Severity {
    ERROR("error"),
    WARNING("warning");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
