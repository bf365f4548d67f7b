package dev.flotilla.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated CRDs: names, status subresource, printer columns in order, CEL rules, docs. */
class CrdSchemaTest {

  @TempDir static Path tmp;

  static CustomResourceDefinition federations;
  static CustomResourceDefinition clientPools;

  @BeforeAll
  static void generate() throws IOException {
    Map<String, String> files = CrdFiles.generate(tmp);
    federations = CrdFiles.parse(files.get(CrdFiles.FEDERATIONS));
    clientPools = CrdFiles.parse(files.get(CrdFiles.CLIENTPOOLS));
  }

  @Test
  void namesScopeAndStatusSubresource() {
    assertThat(federations.getSpec().getGroup()).isEqualTo("flotilla.dev");
    assertThat(federations.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(federations.getSpec().getNames().getShortNames()).containsExactly("fed");
    assertThat(clientPools.getSpec().getNames().getShortNames()).containsExactly("cpool");
    for (CustomResourceDefinition crd : List.of(federations, clientPools)) {
      CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
      assertThat(version.getName()).isEqualTo("v1alpha1");
      assertThat(version.getSubresources().getStatus()).isNotNull();
    }
  }

  @Test
  void federationPrinterColumnsAreInDeclaredOrder() {
    assertThat(columns(federations))
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Round", "Phase", "Clients", "Loss", "Age");
    assertThat(columns(federations))
        .extracting(CustomResourceColumnDefinition::getJsonPath)
        .containsExactly(
            ".status.currentRound",
            ".status.phase",
            ".status.totalClients",
            ".status.history[-1:].meanTrainLoss",
            ".metadata.creationTimestamp");
    assertThat(columns(clientPools))
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Rank", "Clients", "Ready", "Age");
  }

  @Test
  void celRulesFromCoreAreInTheSchema() {
    List<String> federationRules = rules(specSchema(federations));
    assertThat(federationRules)
        .contains(
            "[has(self.names), has(self.matchLabels), has(self.refs)].filter(x, x).size() == 1")
        .anyMatch(rule -> rule.contains("minClients"));
    assertThat(rules(specSchema(clientPools)))
        .contains(
            "has(self.list) != has(self.count)", "!has(self.count) || has(self.dataUriTemplate)");
  }

  @Test
  void everySpecAndStatusFieldHasADescription() {
    for (CustomResourceDefinition crd : List.of(federations, clientPools)) {
      JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
      List<String> undocumented = new ArrayList<>();
      JsonNode tree = Serialization.jsonMapper().valueToTree(root);
      undocumented(tree.path("properties").path("spec"), "spec", undocumented);
      undocumented(tree.path("properties").path("status"), "status", undocumented);
      assertThat(undocumented).as(crd.getMetadata().getName()).isEmpty();
    }
  }

  private static void undocumented(JsonNode schema, String path, List<String> out) {
    JsonNode properties = schema.path("properties");
    properties
        .fields()
        .forEachRemaining(
            field -> {
              String child = path + "." + field.getKey();
              if (!field.getValue().hasNonNull("description")) {
                out.add(child);
              }
              undocumented(field.getValue(), child, out);
              undocumented(field.getValue().path("items"), child + "[]", out);
            });
  }

  private static List<CustomResourceColumnDefinition> columns(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
  }

  private static JSONSchemaProps specSchema(CustomResourceDefinition crd) {
    return crd.getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec");
  }

  /** Every CEL rule anywhere under {@code schema}. */
  private static List<String> rules(JSONSchemaProps schema) {
    List<String> out = new ArrayList<>();
    collect(schema, out);
    return out;
  }

  private static void collect(JSONSchemaProps schema, List<String> out) {
    if (schema == null) {
      return;
    }
    if (schema.getXKubernetesValidations() != null) {
      schema.getXKubernetesValidations().stream().map(ValidationRule::getRule).forEach(out::add);
    }
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(child -> collect(child, out));
    }
    if (schema.getItems() != null) {
      collect(schema.getItems().getSchema(), out);
    }
  }
}
