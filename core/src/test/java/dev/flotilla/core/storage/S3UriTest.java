package dev.flotilla.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3UriTest {

  @Test
  void parsesBucketAndKey() {
    S3Uri uri = S3Uri.parse("s3://models/bert/base/");

    assertThat(uri.bucket()).isEqualTo("models");
    assertThat(uri.key()).isEqualTo("bert/base/");
    assertThat(uri.toString()).isEqualTo("s3://models/bert/base/");
    assertThat(S3Uri.parse("s3://models").key()).isEmpty();
  }

  @Test
  void resolveInsertsOneSlash() {
    assertThat(S3Uri.parse("s3://b/dir/").resolve("f.json").key()).isEqualTo("dir/f.json");
    assertThat(S3Uri.parse("s3://b/dir").resolve("f.json").key()).isEqualTo("dir/f.json");
    assertThat(S3Uri.parse("s3://b").resolve("f.json").key()).isEqualTo("f.json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://b/k", "s3:///k", "s3:/b/k", "/local/path"})
  void rejectsNonS3Uris(String text) {
    assertThatThrownBy(() -> S3Uri.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
