package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** One explicitly listed client. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientEntry {

  @JsonPropertyDescription(
      "Client id, unique across the federation's pools (letters, digits, '.', '_', '-').")
  @Required
  @Pattern("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")
  private String id;

  @JsonPropertyDescription(
      "The client's JSON-lines training data (s3://bucket/key, or an absolute path in the"
          + " trainer image; file: only for ./flotilla run).")
  @Required
  @Pattern(SpecBounds.URI_PATTERN)
  @Size(max = SpecBounds.URI)
  private String dataUri;

  @JsonPropertyDescription("LoRA rank of this client, at most 1024; omitted: the pool's rank.")
  @Min(1)
  @Max(SpecBounds.RANK)
  private Integer rank;

  /**
   * Returns id: client id, unique across the federation's pools (letters, digits, '.', '_', '-').
   */
  public String getId() {
    return id;
  }

  /** Sets id. */
  public void setId(String id) {
    this.id = id;
  }

  /** Returns dataUri: the client's JSON-lines training data (s3://, pvc:// or absolute path). */
  public String getDataUri() {
    return dataUri;
  }

  /** Sets dataUri. */
  public void setDataUri(String dataUri) {
    this.dataUri = dataUri;
  }

  /** Returns rank: loRA rank of this client; omitted: the pool's rank. */
  public Integer getRank() {
    return rank;
  }

  /** Sets rank. */
  public void setRank(Integer rank) {
    this.rank = rank;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClientEntry)) {
      return false;
    }
    ClientEntry other = (ClientEntry) o;
    return Objects.equals(id, other.id)
        && Objects.equals(dataUri, other.dataUri)
        && Objects.equals(rank, other.rank);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, dataUri, rank);
  }
}
