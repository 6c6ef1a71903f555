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
        List<String> extendsChain) {

    public static final String DEFAULT_DATABASE = "app";
    public static final String DEFAULT_USER = "app";
}
