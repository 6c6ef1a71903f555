package dev.devdb.profile;

import dev.devdb.mysql.Flavor;
import java.util.List;
import java.util.Map;

/**
 * A resolved, validated profile: everything {@code extends} brought in is merged.
 *
 * @param name the profile's name (its file name without extension)
 * @param origin where it was found
 * @param location the file or resource it was read from
 * @param flavor the server family
 * @param version the image tag
 * @param image the image repository override, or null for the flavour's official one
 * @param description one line for humans
 * @param database the database created for the application
 * @param user the application user
 * @param password a fixed password, or null to generate one per instance
 * @param port a fixed host port, or null for a free one
 * @param mycnf server options rendered into {@code [mysqld]}; a null value renders a bare flag
 * @param env extra container environment
 * @param resources container limits
 * @param init seed scripts and directories (absolute paths), run once after initialisation
 * @param extendsChain the profiles this one extends, nearest first
 * @param cdc configure the server for change-data-capture connectors
 * @param replicas how many replicas a primary of this profile gets (0: a standalone server)
 */
public record Profile(
        String name,
        Origin origin,
        String location,
        Flavor flavor,
        String version,
        String image,
        String description,
        String database,
        String user,
        String password,
        Integer port,
        Map<String, String> mycnf,
        Map<String, String> env,
        Resources resources,
        List<java.nio.file.Path> init,
        List<String> extendsChain,
        boolean cdc,
        int replicas) {

    public static final String DEFAULT_DATABASE = "app";
    /** The most replicas a topology may have. */
    public static final int MAX_REPLICAS = 9;

    /** A standalone profile without change data capture. */
    public Profile(String name, Origin origin, String location, Flavor flavor, String version, String image,
            String description, String database, String user, String password, Integer port,
            Map<String, String> mycnf, Map<String, String> env, Resources resources, List<java.nio.file.Path> init,
            List<String> extendsChain) {
        this(name, origin, location, flavor, version, image, description, database, user, password, port, mycnf, env,
                resources, init, extendsChain, false, 0);
    }
    public static final String DEFAULT_USER = "app";
}
