package dev.flotilla.local.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.local.spec.CrdCatalog;
import dev.flotilla.local.spec.ManifestException;
import dev.flotilla.local.spec.ManifestLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./flotilla run} applies the operator's two-sided grant to pools of other namespaces. */
class FederationBundleGrantTest {

  @TempDir Path dir;

  @Test
  void aPoolOfAnotherNamespaceIsUsedOnlyWhenItAcceptsTheFederation() throws Exception {
    Path ungranted = manifest("ungranted.yaml", "");
    assertThatThrownBy(() -> bundle(ungranted))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("ClientPool hospital-a/wards does not accept Federation lab/notes");

    Path granted =
        manifest("granted.yaml", "  allowedFederations: [{namespace: lab, name: notes}]\n");
    FederationBundle bundle = bundle(granted);
    assertThat(bundle.pools()).containsOnlyKeys("hospital-a/wards");
  }

  private FederationBundle bundle(Path file) throws ManifestException {
    return FederationBundle.of(file, new ManifestLoader(CrdCatalog.bundled()).load(file));
  }

  private Path manifest(String name, String grant) throws Exception {
    Files.writeString(dir.resolve("a.jsonl"), "{\"text\":\"x\",\"label\":0}\n");
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        """
        apiVersion: flotilla.dev/v1alpha1
        kind: Federation
        metadata: {name: notes, namespace: lab}
        spec:
          baseModel: {uri: "file:model", architecture: BERT}
          task: {type: SEQUENCE_CLASSIFICATION, numLabels: 2}
          rounds: 1
          sampling: {clientsPerRound: 1, minClients: 1}
          storage: {bucket: flotilla}
          clientPools:
            refs: [{namespace: hospital-a, name: wards}]
        ---
        apiVersion: flotilla.dev/v1alpha1
        kind: ClientPool
        metadata: {name: wards, namespace: hospital-a}
        spec:
          rank: 4
          clients:
            list: [{id: a-1, dataUri: "file:a.jsonl"}]
        """
            + grant);
    return file;
  }
}
