package com.webook.platform.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a process's configuration (SPEC §11) into a record tree, in four layers, each over the one
 * before:
 *
 * <ol>
 *   <li>The platform's {@code config/defaults.yaml} (classpath, in the platform jar): every shared
 *       section ({@code grpc}, {@code etcd}, {@code registry}, {@code mysql}, {@code redis}, {@code
 *       kafka}, {@code discovery}, {@code startup}, {@code clients}) with its dev defaults. Only
 *       the sections the target record declares are kept, so a service without Kafka has no {@code
 *       kafka} section and the BFF no {@code grpc}.
 *   <li>{@code config/<profile>.yaml} from the classpath (profile from {@code --profile}, else
 *       {@code WEBOOK_PROFILE}, else {@code dev}): what this process sets differently, and its own
 *       sections.
 *   <li>Each {@code --config <file>} given on the command line, deep-merged in order.
 *   <li>Environment variables {@code WEBOOK_<PATH>}: the key path upper-cased, camelCase words and
 *       path segments joined with {@code _} ({@code grpc.drainWindow} → {@code
 *       WEBOOK_GRPC_DRAIN_WINDOW}). Lists take comma-separated values. Only keys that exist in the
 *       layers above (defaults included) can be overridden, so a typo cannot silently create a
 *       setting.
 * </ol>
 *
 * A mapping with a {@code "*"} entry is a template: after merging, every other entry of that
 * mapping is laid over a copy of it, and the {@code "*"} entry is dropped. The defaults use it for
 * {@code clients}, so {@code clients.user} only lists what differs from the platform's client
 * defaults.
 *
 * <p>Binding is strict: unknown keys, missing or null keys and values that fail the records' own
 * checks stop the start with a {@link ConfigException} naming the key. Thread-safe (stateless after
 * construction).
 */
public final class ConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
  static final String ENV_PREFIX = "WEBOOK_";

  /** The platform's defaults, under every profile. */
  static final String DEFAULTS = "config/defaults.yaml";

  /** The key of a template entry in a mapping (see the class comment). */
  static final String TEMPLATE = "*";

  private final Map<String, String> env;
  private final ObjectMapper yaml;
  private final ObjectMapper binder;

  public ConfigLoader() {
    this(System.getenv());
  }

  /** For tests: a fixed environment instead of the process's. */
  public ConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
    this.yaml = new ObjectMapper(new YAMLFactory());
    SimpleModule durations = new SimpleModule("webook-durations");
    durations.addDeserializer(Duration.class, new DurationDeserializer());
    this.binder =
        JsonMapper.builder()
            .addModule(durations)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            // An explicit null (`grpc: ~`) is as wrong as a missing key: records never see null
            // sections.
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();
  }

  /** Loads {@code type} from the layers described above; {@code args} are the process's. */
  public <T> T load(Class<T> type, String[] args) {
    Arguments a = Arguments.parse(args);
    String profile =
        a.profile != null ? a.profile : env.getOrDefault(ENV_PREFIX + "PROFILE", "dev");
    ObjectNode tree = readClasspath(DEFAULTS);
    keepSectionsOf(type, tree);
    merge(tree, readClasspath("config/" + profile + ".yaml"));
    for (String file : a.configFiles) {
      merge(tree, readFile(Path.of(file)));
    }
    expandTemplates(tree);
    applyEnv(tree);
    return bind(tree, type);
  }

  /**
   * Drops the top-level sections {@code type} does not declare (a record's components); other types
   * keep everything. Only the defaults are pruned: an unknown key a process sets still fails.
   */
  private static void keepSectionsOf(Class<?> type, ObjectNode defaults) {
    if (!type.isRecord()) {
      return;
    }
    Set<String> sections = new HashSet<>();
    for (RecordComponent c : type.getRecordComponents()) {
      sections.add(c.getName());
    }
    defaults.retain(sections);
  }

  /** Lays every entry of a mapping with a {@code "*"} entry over a copy of that template. */
  static void expandTemplates(ObjectNode node) {
    JsonNode template = node.get(TEMPLATE);
    if (template != null) {
      node.remove(TEMPLATE);
      if (template.isObject()) {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
          if (entry.getValue().isObject()) {
            ObjectNode expanded = ((ObjectNode) template).deepCopy();
            merge(expanded, entry.getValue());
            entry.setValue(expanded);
          }
        }
      }
    }
    for (JsonNode child : node) {
      if (child.isObject()) {
        expandTemplates((ObjectNode) child);
      }
    }
  }

  /** Binds an already merged tree; public so tests can check validation messages directly. */
  public <T> T bind(JsonNode tree, Class<T> type) {
    try {
      return binder.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          "unknown config key '" + path(e) + "' (known here: " + e.getKnownPropertyIds() + ")", e);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String prefix = path(e);
      String message = cause.getMessage();
      throw new ConfigException(
          "invalid config: " + (prefix.isEmpty() ? "" : prefix + ".") + message, e);
    } catch (JsonMappingException e) {
      String message = e.getOriginalMessage();
      if (message.startsWith("Missing required creator property")
          || message.startsWith("Missing creator property")) {
        message = "is required but missing";
      } else if (message.startsWith("Null value for creator property")) {
        message = "is required but null";
      }
      throw new ConfigException("invalid config: " + path(e) + ": " + firstLine(message), e);
    } catch (IOException e) {
      throw new ConfigException("invalid config: " + e.getMessage(), e);
    }
  }

  /** The environment variable that overrides the key at {@code path} (e.g. grpc.drainWindow). */
  public static String envName(List<String> path) {
    return ENV_PREFIX + path.stream().map(ConfigLoader::snake).collect(Collectors.joining("_"));
  }

  private void applyEnv(ObjectNode root) {
    applyEnv(root, new ArrayList<>());
  }

  private void applyEnv(ObjectNode node, List<String> path) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      path.add(field.getKey());
      JsonNode value = field.getValue();
      if (value.isObject() && !value.isEmpty()) {
        applyEnv((ObjectNode) value, path);
      } else {
        String override = env.get(envName(path));
        if (override != null) {
          log.info("config {} overridden by {}", String.join(".", path), envName(path));
          node.set(
              field.getKey(),
              value.isArray() ? list(override) : JsonNodeFactory.instance.textNode(override));
        }
      }
      path.remove(path.size() - 1);
    }
  }

  private static ArrayNode list(String csv) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (String part : csv.split(",")) {
      if (!part.isBlank()) {
        array.add(part.trim());
      }
    }
    return array;
  }

  static void merge(ObjectNode target, JsonNode overlay) {
    if (overlay == null || !overlay.isObject()) {
      return;
    }
    overlay
        .fields()
        .forEachRemaining(
            field -> {
              JsonNode existing = target.get(field.getKey());
              if (existing != null && existing.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) existing, field.getValue());
              } else {
                target.set(field.getKey(), field.getValue());
              }
            });
  }

  private ObjectNode readClasspath(String resource) {
    try (InputStream in =
        Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigException(
            "config file '" + resource + "' not found on the classpath (unknown profile?)");
      }
      return asObject(yaml.readTree(in), resource);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + resource + ": " + firstLine(e.getMessage()), e);
    }
  }

  private ObjectNode readFile(Path file) {
    if (!Files.isReadable(file)) {
      throw new ConfigException("--config " + file + ": file not found or not readable");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return asObject(yaml.readTree(in), file.toString());
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read --config " + file + ": " + firstLine(e.getMessage()), e);
    }
  }

  private static ObjectNode asObject(JsonNode node, String source) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!node.isObject()) {
      throw new ConfigException(source + ": the top level must be a mapping of keys");
    }
    return (ObjectNode) node;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String snake(String key) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(key.charAt(i - 1))) {
        sb.append('_');
      }
      sb.append(c == '-' || c == '.' ? '_' : Character.toUpperCase(c));
    }
    return sb.toString();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private record Arguments(String profile, List<String> configFiles) {
    static Arguments parse(String[] args) {
      String profile = null;
      List<String> files = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--config") || arg.equals("--profile")) {
          if (i + 1 >= args.length) {
            throw new ConfigException(arg + " needs a value");
          }
          String value = args[++i];
          if (arg.equals("--config")) {
            files.add(value);
          } else {
            profile = value;
          }
        } else if (arg.startsWith("--config=")) {
          files.add(arg.substring("--config=".length()));
        } else if (arg.startsWith("--profile=")) {
          profile = arg.substring("--profile=".length());
        } else {
          throw new ConfigException(
              "unknown argument '" + arg + "' (expected --config <file> or --profile <name>)");
        }
      }
      return new Arguments(profile, files);
    }
  }
}
