package dev.flotilla.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.spec.ModelArchitecture;
import dev.flotilla.core.storage.EmbeddedS3Server;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.workload.StorageAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution of a workload's inputs, and storage failures as transient errors. */
class ModelWorkspaceTest {
  @TempDir Path dir;

  @Test
  void tokenizerIsAFileADirectoryOrAnS3KeyOrPrefix() throws Exception {
    Path local = Files.writeString(dir.resolve("tokenizer.json"), "{}");
    try (EmbeddedS3Server server = EmbeddedS3Server.startInMemory();
        S3ObjectStore seed = S3ObjectStore.open(server.settings("bkt"));
        StorageClient storage = client(server)) {
      seed.put("tok/tokenizer.json", "{\"k\": 1}".getBytes());

      assertThat(workspace(storage, dir).tokenizerFile(local.toString())).isEqualTo(local);
      assertThat(workspace(storage, dir).tokenizerFile(dir.toString())).isEqualTo(local);
      assertThat(workspace(storage, dir.resolve("w1")).tokenizerFile("s3://bkt/tok/"))
          .hasContent("{\"k\": 1}");
      assertThat(workspace(storage, dir.resolve("w2")).tokenizerFile("s3://bkt/tok/tokenizer.json"))
          .hasContent("{\"k\": 1}");
      assertThatThrownBy(
              () -> workspace(storage, dir).tokenizerFile(dir.resolve("none.json").toString()))
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining("none.json does not exist");
      assertThatThrownBy(() -> workspace(storage, dir).tokenizerFile("s3://bkt/missing/"))
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining("s3://bkt/missing/tokenizer.json does not exist");
    }
  }

  @Test
  void lostStorageConnectionIsTransient() throws Exception {
    EmbeddedS3Server server = EmbeddedS3Server.startInMemory();
    try (S3ObjectStore seed = S3ObjectStore.open(server.settings("bkt"));
        StorageClient storage = client(server)) {
      seed.put("data/a.jsonl", "{}".getBytes());
      storage.bucket("bkt");
      server.close();
      ModelWorkspace workspace = new ModelWorkspace(storage, dir.resolve("cache"), dir);

      assertThatThrownBy(() -> workspace.dataFiles("s3://bkt/data/a.jsonl"))
          .isInstanceOf(TransientException.class);
      assertThatThrownBy(() -> workspace.dataFiles("s3://bkt/data/"))
          .isInstanceOf(TransientException.class);
      assertThatThrownBy(() -> workspace.modelDirectory("s3://bkt/model/"))
          .isInstanceOf(TransientException.class);
      assertThatThrownBy(() -> workspace.tokenizerFile("s3://bkt/tok/"))
          .isInstanceOf(TransientException.class);
      // a lost connection must not read as "no starting adapter"
      assertThatThrownBy(() -> workspace.adapter("bkt", "rounds/1/", dir.resolve("a"), "w", "c"))
          .isInstanceOf(TransientException.class);
    }
  }

  @Test
  void missingLocalInputsAreBadInput() {
    ModelWorkspace workspace =
        new ModelWorkspace(
            bucket -> {
              throw new AssertionError("no storage access for local paths");
            },
            dir.resolve("cache"),
            dir);
    assertThatThrownBy(() -> workspace.dataFiles(dir.resolve("none.jsonl").toString()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("none.jsonl does not exist");
    assertThatThrownBy(() -> workspace.baseModel(dir.resolve("none").toString(), null, null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("base model directory");
    assertThatThrownBy(() -> ModelWorkspace.architecture("gpt"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("auto, bert or llama");
    assertThat(ModelWorkspace.architecture(" Llama ")).isEqualTo(ModelArchitecture.LLAMA);
  }

  private static ModelWorkspace workspace(StorageClient storage, Path workDir) {
    return new ModelWorkspace(storage, workDir.resolve("cache"), workDir);
  }

  private static StorageClient client(EmbeddedS3Server server) {
    return StorageClient.withCredentials(
        new StorageAccess(server.endpoint(), "unused", "", "us-east-1", true),
        new StorageClient.Credentials(EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY));
  }
}
