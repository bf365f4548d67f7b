package dev.flotilla.operator.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.operator.api.v1alpha1.ClientPool;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class ClientPoolValidatorTest {

  @Test
  void countsGeneratedAndListedClients() {
    ClientPoolValidator.Result generated =
        ClientPoolValidator.validate(
            pool("clients: {count: 10000, dataUriTemplate: \"s3://d/{id}.jsonl\"}").getSpec());
    assertThat(generated.valid()).as(generated.message()).isTrue();
    assertThat(generated.clients()).isEqualTo(10_000);
    ClientPoolValidator.Result listed =
        ClientPoolValidator.validate(
            pool("clients: {list: [{id: a, dataUri: \"s3://d/a\"}, {id: b, dataUri: \"s3://d/b\"}]}")
                .getSpec());
    assertThat(listed.valid()).as(listed.message()).isTrue();
    assertThat(listed.clients()).isEqualTo(2);
  }

  @Test
  void namesTheFieldOfABadQuantity() {
    ClientPoolValidator.Result result =
        ClientPoolValidator.validate(
            pool("clients: {count: 2, dataUriTemplate: \"s3://d/{id}\"}\n"
                    + "  resources: {limits: {nvidia.com/gpu: one}}")
                .getSpec());
    assertThat(result.valid()).isFalse();
    assertThat(result.message()).contains("spec.resources.limits[nvidia.com/gpu]", "'one'");
  }

  @Test
  void rejectsGeneratedIdsThatAreNotLabelValues() {
    String prefix = "x".repeat(70);
    ClientPoolValidator.Result result =
        ClientPoolValidator.validate(
            pool("clients: {count: 2, idPrefix: " + prefix + ", dataUriTemplate: \"s3://d/{id}\"}")
                .getSpec());
    assertThat(result.message()).contains("spec.clients.idPrefix");
  }

  @Test
  void reportsCoreSchemaProblems() {
    ClientPoolValidator.Result result =
        ClientPoolValidator.validate(
            pool("clients: {count: 2, list: [{id: a, dataUri: \"s3://d/a\"}]}").getSpec());
    assertThat(result.valid()).isFalse();
    assertThat(result.message()).contains("spec.clients");
  }

  private static ClientPool pool(String clients) {
    return Serialization.unmarshal(
        "apiVersion: flotilla.dev/v1alpha1\nkind: ClientPool\nmetadata: {name: p}\nspec:\n"
            + "  rank: 4\n  "
            + clients
            + "\n",
        ClientPool.class);
  }
}
