package dev.flotilla.local.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ManifestLoaderTest {
  private static ManifestLoader loader;

  @BeforeAll
  static void catalog() throws Exception {
    try (InputStream in =
        ManifestLoaderTest.class.getResourceAsStream("/crds/widgets.example.dev-v1.yml")) {
      loader =
          new ManifestLoader(
              new CrdCatalog(List.of(new ObjectMapper(new YAMLFactory()).readTree(in))));
    }
  }

  private static String widget(String spec) {
    return "apiVersion: example.dev/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n" + spec;
  }

  private static List<String> errors(String text) {
    try {
      loader.parse("test.yaml", text);
    } catch (ManifestException e) {
      return e.fieldErrors();
    }
    throw new AssertionError("expected a validation error");
  }

  @Test
  void acceptsValidObjectAndAppliesDefaults() throws Exception {
    List<Resource> resources =
        loader.parse(
            "test.yaml",
            widget("  size: 3\n  sampling:\n    clientsPerRound: 2\n")
                + "---\n"
                + widget("  size: 4\n  sampling:\n    fraction: 0.5\n").replace("w1", "w2"));
    assertThat(resources).extracting(Resource::name).containsExactly("w1", "w2");
    assertThat(resources.get(0).object().at("/spec/color").asText()).isEqualTo("RED");
    assertThat(resources.get(0).object().at("/spec/sampling/minClients").asInt()).isEqualTo(1);
  }

  @Test
  void reportsMissingRequiredField() {
    assertThat(errors(widget("  sampling:\n    fraction: 0.5\n")))
        .containsExactly("spec.size: Required value");
  }

  @Test
  void reportsEnumRangePatternAndTypeLikeTheApiServer() {
    assertThat(
            errors(
                widget(
                    "  size: 0\n  color: BLUE\n  timeout: soon\n  ratio: 0\n  tags: [toolong]\n"
                        + "  labels: {a: 1}\n  sampling:\n    fraction: 0.5\n")))
        .containsExactlyInAnyOrder(
            "spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1",
            "spec.color: Unsupported value: \"BLUE\": supported values: \"RED\", \"GREEN\"",
            "spec.timeout: Invalid value: \"soon\": spec.timeout in body should match"
                + " '^([0-9]+(ms|s|m|h))+$'",
            "spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0",
            "spec.tags[0]: Too long: may not be more than 5 bytes",
            "spec.labels[a]: Invalid value: \"integer\": spec.labels[a] in body must be of type"
                + " string: \"integer\"",
            "Invalid value: \"\": some validation rules were not checked because the object was"
                + " invalid; correct the existing errors to complete validation");
    assertThat(errors(widget("  size: big\n  sampling:\n    fraction: 0.5\n")))
        .first()
        .isEqualTo(
            "spec.size: Invalid value: \"string\": spec.size in body must be of type integer:"
                + " \"string\"");
  }

  @Test
  void evaluatesCelRulesWithFieldPathAndMessageExpression() {
    assertThat(errors(widget("  size: 1\n  sampling:\n    minClients: 1\n")))
        .containsExactly(
            "spec.sampling: Invalid value: \"object\": set exactly one of clientsPerRound and"
                + " fraction");
    assertThat(
            errors(widget("  size: 1\n  sampling:\n    clientsPerRound: 2\n    minClients: 3\n")))
        .containsExactly(
            "spec.sampling.minClients: Invalid value: \"object\": minClients must not exceed"
                + " clientsPerRound");
    assertThat(errors(widget("  size: 1\n  sampling:\n    fraction: -0.5\n")))
        .containsExactly("spec.sampling: Invalid value: \"object\": fraction -0.5 is not positive");
  }

  @Test
  void evaluatesRulesAlongsideOtherSchemaErrors() {
    assertThat(errors(widget("  size: 0\n  sampling:\n    minClients: 1\n")))
        .containsExactly(
            "spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1",
            "spec.sampling: Invalid value: \"object\": set exactly one of clientsPerRound and"
                + " fraction");
  }

  @Test
  void rejectsUnknownFieldsAndBadNames() {
    assertThat(errors(widget("  size: 1\n  colour: RED\n  sampling:\n    fraction: 1.0\n")))
        .containsExactly("unknown field \"spec.colour\"");
    assertThat(errors(widget("  size: 1\n  sampling:\n    fraction: 1.0\n").replace("w1", "W_1")))
        .singleElement()
        .asString()
        .startsWith("metadata.name: Invalid value: \"W_1\": a lowercase RFC 1123 subdomain");
  }

  @Test
  void namesFileDocumentAndObjectInTheMessage() {
    assertThatThrownBy(() -> loader.parse("fed.yaml", widget("  sampling:\n    fraction: 0.5\n")))
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            "fed.yaml (document 1): The Widget \"w1\" is invalid: spec.size: Required value");
    assertThatThrownBy(() -> loader.parse("fed.yaml", "kind: Widget\napiVersion: other/v9\n"))
        .hasMessageStartingWith("fed.yaml (document 1): no matches for kind \"Widget\" in version");
    assertThatThrownBy(() -> loader.parse("fed.yaml", "spec: [unclosed\n"))
        .hasMessageStartingWith("fed.yaml: invalid YAML");
  }
}
