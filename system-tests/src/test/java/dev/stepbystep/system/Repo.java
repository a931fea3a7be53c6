package dev.stepbystep.system;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The repository this module checks, and a YAML reader for compose files and CloudFormation templates. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses YAML into maps, lists and scalars. CloudFormation's short forms ({@code !Ref x},
     * {@code !GetAtt a.b}, {@code !Sub ...}) become their long forms ({@code {Ref: x}},
     * {@code {Fn::GetAtt: ...}}), as CloudFormation itself reads them.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path path) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(200);
        Yaml yaml = new Yaml(new CloudFormationConstructor(options));
        return (Map<String, Object>) yaml.load(read(path));
    }

    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor(LoaderOptions options) {
            super(options);
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String key = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = tag.equals("GetAtt") ? java.util.List.of(scalar.getValue().split("\\.", 2)) : scalar.getValue();
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    Map<String, Object> longForm = new LinkedHashMap<>();
                    longForm.put(key, value);
                    return longForm;
                }
            });
        }
    }
}
