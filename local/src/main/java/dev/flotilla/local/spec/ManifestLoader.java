package dev.flotilla.local.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a multi-document manifest (a Federation and its ClientPools) and validates every document
 * as the API server would: known apiVersion/kind, {@code metadata.name}, then the CRD schema with
 * defaults and CEL rules. All errors of all documents are reported together.
 */
public final class ManifestLoader {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final String DNS_SUBDOMAIN_MESSAGE =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
          + " regex used for validation is"
          + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

  private final CrdCatalog catalog;
  private final SchemaValidator validator = new SchemaValidator();
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  /** A loader validating against {@code catalog}. */
  public ManifestLoader(CrdCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Loads and validates {@code file}.
   *
   * @throws ManifestException naming the file, the document and every field error
   */
  public List<Resource> load(Path file) throws ManifestException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot read: " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  /** Loads and validates manifest {@code text}; {@code source} names it in messages. */
  public List<Resource> parse(String source, String text) throws ManifestException {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode document = it.nextValue();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (JsonProcessingException e) {
      throw new ManifestException(
          source + ": invalid YAML: " + e.getOriginalMessage() + location(e));
    } catch (IOException e) {
      throw new ManifestException(source + ": cannot parse: " + e.getMessage());
    } catch (RuntimeException e) {
      throw new ManifestException(source + ": invalid YAML: " + e.getMessage());
    }
    List<Resource> resources = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    List<String> allErrors = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      JsonNode document = documents.get(i);
      String where = source + " (document " + (i + 1) + ")";
      if (!(document instanceof ObjectNode object)) {
        messages.add(where + ": expected a Kubernetes object, got " + document.getNodeType());
        continue;
      }
      String apiVersion = object.path("apiVersion").asText("");
      String kind = object.path("kind").asText("");
      if (apiVersion.isEmpty() || kind.isEmpty()) {
        String missing = apiVersion.isEmpty() ? "apiVersion" : "kind";
        messages.add(where + ": Object 'Kind' is missing or " + missing + " is not set");
        continue;
      }
      Optional<JsonNode> schema = catalog.schema(apiVersion, kind);
      if (schema.isEmpty()) {
        messages.add(
            where
                + ": no matches for kind \""
                + kind
                + "\" in version \""
                + apiVersion
                + "\" (served: "
                + String.join(", ", catalog.served())
                + ")");
        continue;
      }
      String name = object.path("metadata").path("name").asText("");
      List<String> errors = new ArrayList<>(metadataErrors(object.path("metadata"), name));
      errors.addAll(validator.validate(object, schema.get()));
      if (errors.isEmpty()) {
        resources.add(new Resource(kind, name, object));
      } else {
        allErrors.addAll(errors);
        messages.add(where + ": " + invalid(kind, name, errors));
      }
    }
    if (!messages.isEmpty()) {
      throw new ManifestException(String.join("\n", messages), allErrors);
    }
    if (resources.isEmpty()) {
      throw new ManifestException(source + ": no Kubernetes objects found");
    }
    return resources;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static List<String> metadataErrors(JsonNode metadata, String name) {
    if (!metadata.isObject() || name.isEmpty()) {
      return List.of("metadata.name: Required value: name or generateName is required");
    }
    List<String> errors = new ArrayList<>();
    if (name.length() > 253) {
      errors.add("metadata.name: Too long: may not be more than 253 bytes");
    }
    if (!DNS_SUBDOMAIN.matcher(name).matches()) {
      errors.add("metadata.name: Invalid value: \"" + name + "\": " + DNS_SUBDOMAIN_MESSAGE);
    }
    return errors;
  }

  /** The API server's message for a rejected object. */
  private static String invalid(String kind, String name, List<String> errors) {
    String head = "The " + kind + " \"" + name + "\" is invalid: ";
    if (errors.size() == 1) {
      return head + errors.get(0);
    }
    StringBuilder sb = new StringBuilder(head);
    errors.forEach(e -> sb.append("\n* ").append(e));
    return sb.toString();
  }
}
