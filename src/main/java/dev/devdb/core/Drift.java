package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.profile.Profile;
import dev.devdb.profile.ProfileCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Whether the profile an instance was started from, read again now, still describes it.
 *
 * @param kinds what changed, in a fixed order: {@code profile} (it cannot be read any more), {@code image},
 *     {@code version}, {@code mycnf}, {@code seeds}; {@code ?} when the instance keeps no record of its profile
 * @param changes each change as a person reads it ({@code max_connections: 500 -> 800})
 */
public record Drift(List<String> kinds, List<String> changes) {
    public static final String UNKNOWN = "?";

    public Drift {
        kinds = List.copyOf(kinds);
        changes = List.copyOf(changes);
    }

    public boolean none() {
        return kinds.isEmpty();
    }

    /** The drift of every instance in the list, by container id. */
    static Map<String, Drift> of(List<ContainerInfo> containers, ProfileCatalog catalog, Engine engine) {
        Map<String, Object> profiles = new HashMap<>();
        Map<String, String> imageIds = new HashMap<>();
        Function<String, Object> read = location -> {
            try {
                return catalog.reread(location);
            } catch (DevDbException e) {
                return e.getMessage();
            }
        };
        Map<String, Drift> result = new HashMap<>();
        for (ContainerInfo c : containers) {
            Recipe recipe = Recipe.fromJson(c.label(Labels.RECIPE));
            if (recipe == null) {
                result.put(c.id(), new Drift(List.of(UNKNOWN),
                        List.of("started by an older devdb, which kept no record of its profile")));
                continue;
            }
            Object now = profiles.computeIfAbsent(recipe.profile(), read);
            String ref = c.label(Labels.IMAGE);
            String imageId = ref == null ? null : imageIds.computeIfAbsent(ref, r -> {
                String id = engine.imageId(r);
                return id == null ? "" : id;
            });
            result.put(c.id(), compare(recipe, now, ref, imageId, c.label(Labels.BASE_IMAGE_ID)));
        }
        return result;
    }

    /**
     * @param now the profile read again, or why it could not be
     * @param imageId the id of the image the instance's reference names now, or empty when it is not here
     */
    static Drift compare(Recipe recipe, Object now, String ref, String imageId, String baseImageId) {
        Set<String> kinds = new LinkedHashSet<>();
        List<String> changes = new ArrayList<>();
        if (!(now instanceof Profile profile)) {
            return new Drift(List.of("profile"), List.of("profile: " + now));
        }
        if (!Objects.equals(recipe.image(), profile.image())) {
            kinds.add("image");
            changes.add("image: " + show(recipe.image()) + " -> " + show(profile.image()));
        } else if (imageId != null && !imageId.isEmpty() && baseImageId != null && !imageId.equals(baseImageId)) {
            kinds.add("image");
            changes.add("image: " + ref + " names another image now (pulled or built since the instance started)");
        }
        if (!Objects.equals(recipe.version(), profile.version())) {
            kinds.add("version");
            changes.add("version: " + recipe.version() + " -> " + profile.version());
        }
        List<String> options = Recipe.optionChanges(recipe.profileMycnf(), profile.mycnf());
        if (!options.isEmpty()) {
            kinds.add("mycnf");
            changes.addAll(options);
        }
        List<String> seeds;
        try {
            Recipe current = Recipe.of(profile, Map.of(), Seeds.collect(profile.init()), null);
            seeds = Recipe.seedChanges(recipe.seeds().stream().filter(Recipe.SeedFile::fromProfile).toList(),
                    current.seeds(), recipe.seedBase());
        } catch (DevDbException e) {
            seeds = List.of("seeds: " + e.getMessage());
        }
        if (!seeds.isEmpty()) {
            kinds.add("seeds");
            changes.addAll(seeds);
        }
        return new Drift(List.copyOf(kinds), changes);
    }

    private static String show(String image) {
        return image == null ? "(the flavour's default)" : image;
    }
}
