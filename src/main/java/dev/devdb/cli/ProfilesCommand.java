package dev.devdb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.devdb.core.OptionCheck;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.ServerVersion;
import dev.devdb.profile.ImageRef;
import dev.devdb.profile.Profile;
import dev.devdb.profile.ProfileCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "profiles", description = {"List the profiles visible from here and where each comes from.",
        "Lookup order: ./profiles, $XDG_CONFIG_HOME/devdb/profiles, built-in."},
        subcommands = {ProfilesCommand.Show.class, ProfilesCommand.Check.class})
final class ProfilesCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Json json;

    ProfilesCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<ProfileCatalog.Listing> listings = context.catalog().list();
        if (json.on()) {
            Json.print(context.out(), listings.stream().map(l -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", l.entry().name());
                m.put("origin", l.entry().origin().label());
                m.put("location", l.entry().location());
                m.put("flavor", l.flavor());
                m.put("version", l.version());
                m.put("description", l.description());
                m.put("shadowed", l.shadowed());
                return m;
            }).toList());
            return ExitCodes.OK;
        }
        Table table = new Table("NAME", "FROM", "FLAVOR", "VERSION", "DESCRIPTION");
        for (ProfileCatalog.Listing l : listings) {
            String from = l.entry().origin().label() + (l.shadowed() ? " (shadowed)" : "");
            table.row(l.entry().name(), from, l.flavor(), l.version(), l.description());
        }
        table.print(context.out(), context.stdoutTerminal(), context.color());
        return ExitCodes.OK;
    }

    @Command(name = "show", description = {"Print a profile as devdb resolves it (after extends): YAML, or JSON with"
            + " --json."})
    static final class Show implements Callable<Integer> {
        private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
        private final Context context;

        @Parameters(index = "0", paramLabel = "PROFILE", completionCandidates = Completion.Profiles.class,
                description = "Profile name or path to a .yaml file.")
        String name;

        @Mixin
        SharedOptions.Json json;

        Show(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() throws JsonProcessingException {
            Profile p = context.catalog().resolve(name);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("origin", p.origin().label());
            m.put("location", p.location());
            if (!p.extendsChain().isEmpty()) {
                m.put("extends", p.extendsChain());
            }
            m.put("description", p.description());
            m.put("flavor", p.flavor().id());
            m.put("version", p.version());
            m.put("image", ImageRef.of(p, context.env().get("DEVDB_REGISTRY")));
            m.put("database", p.database());
            m.put("user", p.user());
            m.put("password", p.password() == null ? "(generated per instance)" : p.password());
            m.put("port", p.port() == null ? "(a free one)" : p.port());
            m.put("mycnf", p.mycnf());
            m.put("env", p.env());
            Map<String, Object> resources = new LinkedHashMap<>();
            resources.put("memoryBytes", p.resources().memoryBytes());
            resources.put("cpus", p.resources().nanoCpus() == null ? null : p.resources().nanoCpus() / 1e9);
            m.put("resources", resources);
            if (json.on()) {
                Json.print(context.out(), m);
            } else {
                context.out().print(YAML.writeValueAsString(m));
                context.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "check", description = {"Check profiles' server options against the versions they would run on,"
            + " without starting anything.", "Exit 3 when any option is one the version removed."})
    static final class Check implements Callable<Integer> {
        private final Context context;

        @Parameters(paramLabel = "PROFILE", arity = "0..*", completionCandidates = Completion.Profiles.class,
                description = "Profiles to check (default: every profile visible from here).")
        List<String> profiles = new ArrayList<>();

        @Option(names = "--on", paramLabel = "PROFILE", split = ",", arity = "1..*",
                completionCandidates = Completion.Profiles.class,
                description = "Check against these profiles' flavour and version (default: each profile's own).")
        List<String> on = new ArrayList<>();

        @Mixin
        SharedOptions.Json json;

        Check(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            ProfileCatalog catalog = context.catalog();
            List<Profile> checked = new ArrayList<>();
            if (profiles.isEmpty()) {
                for (ProfileCatalog.Listing l : catalog.list()) {
                    if (!l.shadowed()) {
                        checked.add(catalog.resolve(l.entry().name()));
                    }
                }
            } else {
                profiles.forEach(p -> checked.add(catalog.resolve(p)));
            }
            List<Profile> targets = on.stream().map(catalog::resolve).toList();
            List<Map<String, Object>> results = new ArrayList<>();
            boolean failed = false;
            for (Profile p : checked) {
                for (Profile t : targets.isEmpty() ? List.of(p) : targets) {
                    boolean numbered = ServerVersion.numbered(t.version());
                    List<OptionCheck.Problem> problems = OptionCheck.check(p, Map.of(), p.replicas() > 0, p.cdc(),
                            t.flavor(), t.version());
                    failed |= problems.stream().anyMatch(OptionCheck.Problem::error);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("profile", p.name());
                    m.put("on", t.name());
                    m.put("flavor", t.flavor().id());
                    m.put("version", t.version());
                    m.put("checked", numbered);
                    m.put("problems", problems.stream().map(pr -> {
                        Map<String, Object> j = new LinkedHashMap<>();
                        j.put("option", pr.option());
                        j.put("severity", pr.error() ? "error" : "warning");
                        j.put("message", pr.message());
                        j.put("reference", pr.reference());
                        return j;
                    }).toList());
                    results.add(m);
                    if (!json.on()) {
                        String head = p.name() + " on " + t.name() + " (" + t.flavor().displayName() + " "
                                + t.version() + "): ";
                        if (!numbered) {
                            context.out().println(head + "not checked: the tag names no version; the server judges"
                                    + " the options when it starts");
                        } else if (problems.isEmpty()) {
                            context.out().println(head + "ok");
                        }
                        for (OptionCheck.Problem pr : problems) {
                            context.out().println(head + (pr.error() ? "error: " : "warning: ") + pr.message());
                        }
                    }
                }
            }
            if (json.on()) {
                Json.print(context.out(), results);
            }
            context.out().flush();
            return failed ? ExitCodes.PROFILE : ExitCodes.OK;
        }
    }
}
