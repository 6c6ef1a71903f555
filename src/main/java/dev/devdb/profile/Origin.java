package dev.devdb.profile;

/** Where a profile was found, in lookup order. */
public enum Origin {
    /** An explicit path to a .yaml/.yml file. */
    FILE("file"),
    /** {@code ./profiles/NAME.yaml} in the current directory. */
    PROJECT("project"),
    /** {@code $XDG_CONFIG_HOME/devdb/profiles}. */
    USER("user"),
    /** The catalogue packaged with devdb. */
    BUILT_IN("built-in");

    private final String label;

    Origin(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
