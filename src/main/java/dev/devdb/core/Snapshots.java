package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.engine.ImageInfo;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Saved copies of an instance's data, restored later onto an instance of the same image. Each scope has
 * its own snapshots (see {@link Scope#snapshotImage}).
 */
public final class Snapshots {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Engine engine;
    private final Instances instances;
    private final Scope scope;

    /** Snapshots of the scope of these instances. */
    public Snapshots(Engine engine, Instances instances) {
        this.engine = engine;
        this.instances = instances;
        this.scope = instances.scope();
    }

    /** Snapshots of a scope, to list and remove only. */
    public Snapshots(Engine engine, Scope scope) {
        this.engine = engine;
        this.instances = null;
        this.scope = scope;
    }

    /**
     * A snapshot.
     *
     * @param tag its name
     * @param instance the instance it was saved from
     * @param baseImage the image that instance runs
     * @param flavor server family
     * @param version image tag of the server
     * @param size image size in bytes, base layers included
     * @param created when it was saved
     */
    public record Snapshot(String tag, String instance, String baseImage, String flavor, String version, long size,
            Instant created) {}

    /** Saves the instance's current data under {@code tag}. */
    public Snapshot save(String name, String tag) {
        checkTag(tag);
        String imageTag = scope.snapshotImageTag(tag);
        Instance instance = instances.get(name);
        if (!instance.running()) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "instance " + instance.name() + " is " + instance.state()
                    + "; snapshots are taken of running instances");
        }
        if (find(tag) != null) {
            throw new DevDbException(ExitCodes.SNAPSHOT, "snapshot " + tag + " exists; remove it with `devdb snapshot rm "
                    + tag + "` or choose another tag");
        }
        ContainerInfo c = engine.inspect(instance.containerId()).orElseThrow();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.SNAPSHOT, tag);
        labels.put(Labels.SNAPSHOT_OF, instance.name());
        labels.put(Labels.BASE_IMAGE, c.label(Labels.IMAGE));
        labels.put(Labels.BASE_IMAGE_ID, c.label(Labels.BASE_IMAGE_ID));
        labels.put(Labels.FLAVOR, c.label(Labels.FLAVOR));
        labels.put(Labels.VERSION, c.label(Labels.VERSION));
        labels.put(Labels.PROFILE, c.label(Labels.PROFILE));
        scope.stamp(labels);
        // a commit the process is stopped during goes on in the engine: its image is removed once made
        String token = Passwords.generate(16);
        labels.put(Labels.UP_TOKEN, token);
        Cleanup cleanup = instances.cleanup();
        Snapshot saved = cleanup.guard("snapshot", () -> removeByToken(token), () -> {
            cleanup.create(() -> engine.commit(c.id(), scope.snapshotRepository(), imageTag, labels,
                    instances.imageEnv(c.id())));
            cleanup.checkNotStopping(); // stopped while the engine committed: the snapshot goes again
            return find(tag);
        });
        if (saved == null) {
            cleanup.checkNotStopping();
            throw new DevDbException(ExitCodes.SNAPSHOT, "snapshot " + tag + " was removed while it was saved;"
                    + " save it again");
        }
        return saved;
    }

    /** Removes the snapshot a stopped or failed save made. */
    private void removeByToken(String token) {
        try {
            for (ImageInfo image : engine.images(Map.of(Labels.UP_TOKEN, token))) {
                for (String ref : image.tags()) {
                    engine.removeImage(ref, true);
                }
            }
        } catch (RuntimeException e) {
            // best effort: `devdb snapshot ls` shows what is left, `snapshot rm` removes it
        }
    }

    /** The tags there are, for a message about one that is not: "snapshots: a, b", or how to save one. */
    static String known(List<Snapshot> snapshots) {
        return snapshots.isEmpty() ? "none is saved (`devdb snapshot save [NAME] TAG` saves one)"
                : "snapshots: " + String.join(", ", snapshots.stream().map(Snapshot::tag).toList());
    }

    /** Replaces the instance's data by the snapshot's, refusing a snapshot of another image. */
    public UpResult restore(String name, String tag, Duration timeout, UpListener listener) {
        long started = System.nanoTime();
        checkTag(tag);
        Instance instance = instances.get(name);
        ImageInfo image = image(tag);
        if (image == null) {
            throw new DevDbException(ExitCodes.SNAPSHOT, "no snapshot " + tag + scope.describe() + "; "
                    + known(list()));
        }
        ContainerInfo c = engine.inspect(instance.containerId()).orElseThrow();
        if (c.label(Labels.ROLE) != null) {
            throw new DevDbException(ExitCodes.SNAPSHOT, instance.name() + " is the " + c.label(Labels.ROLE)
                    + " of a replication topology; restoring one member would leave the others diverged: restore "
                    + "onto an instance of its own (`devdb up --name ...`)");
        }
        String want = c.label(Labels.BASE_IMAGE_ID);
        String have = image.label(Labels.BASE_IMAGE_ID);
        if (want == null || !want.equals(have)) {
            throw new DevDbException(ExitCodes.SNAPSHOT, "snapshot " + tag + " was saved from "
                    + image.label(Labels.BASE_IMAGE) + " (" + shortId(have) + ") but " + instance.name() + " runs "
                    + c.label(Labels.IMAGE) + " (" + shortId(want) + "); a snapshot restores only onto the image it "
                    + "was saved from: start an instance of that image with `devdb up`");
        }
        return instances.replace(c, scope.snapshotImage(tag), timeout, listener, started, "restoring");
    }

    public List<Snapshot> list() {
        List<Snapshot> result = new ArrayList<>();
        for (ImageInfo i : engine.images(Map.of(Labels.SNAPSHOT, ""))) {
            // A removed snapshot an instance still runs on is untagged but not yet gone.
            String tag = i.label(Labels.SNAPSHOT);
            if (scope.contains(i.labels()) && tagged(i, tag)) {
                result.add(of(i));
            }
        }
        result.sort(Comparator.comparing(Snapshot::created, Comparator.nullsLast(Comparator.naturalOrder())));
        return result;
    }

    /** Removes a snapshot; an instance restored from it keeps running. */
    public void remove(String tag) {
        checkTag(tag);
        if (image(tag) == null) {
            throw new DevDbException(ExitCodes.SNAPSHOT, "no snapshot " + tag + scope.describe());
        }
        engine.removeImage(scope.snapshotImage(tag), true);
    }

    private Snapshot find(String tag) {
        ImageInfo i = image(tag);
        return i == null ? null : of(i);
    }

    ImageInfo image(String tag) {
        return engine.images(Map.of(Labels.SNAPSHOT, tag)).stream()
                .filter(i -> scope.contains(i.labels()) && tagged(i, tag))
                .findFirst().orElse(null);
    }

    /** Whether the image still has the tag of this scope's snapshot {@code tag}. */
    private boolean tagged(ImageInfo i, String tag) {
        try {
            return tag != null && i.tags().contains(scope.snapshotImage(tag));
        } catch (DevDbException e) {
            return false; // a tag too long for this scope is none of its snapshots
        }
    }

    private static Snapshot of(ImageInfo i) {
        return new Snapshot(i.label(Labels.SNAPSHOT), i.label(Labels.SNAPSHOT_OF), i.label(Labels.BASE_IMAGE),
                i.label(Labels.FLAVOR), i.label(Labels.VERSION), i.size(), i.created());
    }

    static void checkTag(String tag) {
        if (!TAG.matcher(tag).matches()) {
            throw new DevDbException(ExitCodes.USAGE, "snapshot tag '" + tag
                    + "' is not valid: use letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }

    static String shortId(String id) {
        if (id == null) {
            return "unknown image";
        }
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.substring(0, Math.min(12, hex.length()));
    }
}
