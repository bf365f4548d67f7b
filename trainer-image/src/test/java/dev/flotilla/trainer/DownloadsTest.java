package dev.flotilla.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.storage.EmbeddedS3Server;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.workload.ExitCode;
import dev.flotilla.core.workload.StorageAccess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution of the trainer's inputs, and storage failures mapped to exit codes. */
class DownloadsTest {
  @TempDir Path dir;

  @Test
  void tokenizerIsAFileADirectoryOrAnS3KeyOrPrefix() throws Exception {
    Path local = Files.writeString(dir.resolve("tokenizer.json"), "{}");
    try (EmbeddedS3Server server = EmbeddedS3Server.startInMemory();
        S3ObjectStore seed = S3ObjectStore.open(server.settings("bkt"));
        StorageClient storage = client(server)) {
      seed.put("tok/tokenizer.json", "{\"k\": 1}".getBytes());
      Downloads downloads = new Downloads(storage);

      assertThat(downloads.tokenizerFile(local.toString(), dir)).isEqualTo(local);
      assertThat(downloads.tokenizerFile(dir.toString(), dir)).isEqualTo(local);
      assertThat(downloads.tokenizerFile("s3://bkt/tok/", dir.resolve("w1")))
          .hasContent("{\"k\": 1}");
      assertThat(downloads.tokenizerFile("s3://bkt/tok/tokenizer.json", dir.resolve("w2")))
          .hasContent("{\"k\": 1}");
      assertThatThrownBy(() -> downloads.tokenizerFile(dir.resolve("none.json").toString(), dir))
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining("none.json does not exist");
      assertThatThrownBy(() -> downloads.tokenizerFile("s3://bkt/missing/", dir))
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
      Downloads downloads = new Downloads(storage);

      assertThatThrownBy(() -> downloads.dataFiles("s3://bkt/data/a.jsonl", dir))
          .isInstanceOf(TransientException.class);
      assertThatThrownBy(() -> downloads.dataFiles("s3://bkt/data/", dir))
          .isInstanceOf(TransientException.class);
      assertThatThrownBy(() -> downloads.modelDirectory("s3://bkt/model/", dir.resolve("cache")))
          .isInstanceOf(TransientException.class);
      assertThatThrownBy(() -> downloads.tokenizerFile("s3://bkt/tok/", dir))
          .isInstanceOf(TransientException.class)
          .satisfies(
              e ->
                  assertThat(TrainerMain.exitCodeFor(e, new PrintWriter(new StringWriter())))
                      .isEqualTo(ExitCode.TRANSIENT.code()));
      // a lost connection must not read as "no starting adapter"
      assertThatThrownBy(() -> downloads.adapter("bkt", "rounds/1/", dir.resolve("a"), "w", "c"))
          .isInstanceOf(TransientException.class);
    }
  }

  private static StorageClient client(EmbeddedS3Server server) {
    return StorageClient.withCredentials(
        new StorageAccess(server.endpoint(), "unused", "", "us-east-1", true),
        new StorageClient.Credentials(EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY));
  }
}
