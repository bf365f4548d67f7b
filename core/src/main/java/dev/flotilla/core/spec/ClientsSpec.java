package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** The clients of a pool: an explicit list, or count generated clients. */
@ValidationRule(
    value = "has(self.list) != has(self.count)",
    message = "set exactly one of list and count")
@ValidationRule(
    value = "!has(self.count) || has(self.dataUriTemplate)",
    message = "dataUriTemplate is required with count")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientsSpec {

  @JsonPropertyDescription(
      "Explicit clients, at most 1000 (1000 entries stay below etcd's 1.5 MiB object limit;"
          + " larger pools use count); set this or count.")
  @Size(min = 1, max = SpecBounds.LISTED_CLIENTS)
  private List<ClientEntry> list;

  @JsonPropertyDescription(
      "Number of generated clients <idPrefix><index>, index 0..count-1, at most 10000 (the"
          + " operator holds every client of a Federation in memory: 10000 clients are about"
          + " 2 MB); set this or list.")
  @Min(1)
  @Max(SpecBounds.CLIENTS)
  private Integer count;

  @JsonPropertyDescription(
      "Data URI of generated clients; {index} and {id} are replaced, e.g. s3://data/client-{index}.jsonl.")
  @Pattern(SpecBounds.URI_PATTERN)
  @Size(max = SpecBounds.URI)
  private String dataUriTemplate;

  @JsonPropertyDescription(
      "Id prefix of generated clients, at most 40 characters (prefix and index form a client id"
          + " of at most 63).")
  @Default("client-")
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]*$")
  @Size(max = SpecBounds.ID_PREFIX)
  private String idPrefix = "client-";

  /** Returns list: explicit clients; set this or count. */
  public List<ClientEntry> getList() {
    return list;
  }

  /** Sets list. */
  public void setList(List<ClientEntry> list) {
    this.list = list;
  }

  /**
   * Returns count: number of generated clients <idPrefix><index>, index 0..count-1; set this or
   * list.
   */
  public Integer getCount() {
    return count;
  }

  /** Sets count. */
  public void setCount(Integer count) {
    this.count = count;
  }

  /** Returns dataUriTemplate: data URI of generated clients; {index} and {id} are replaced, e.g. */
  public String getDataUriTemplate() {
    return dataUriTemplate;
  }

  /** Sets dataUriTemplate. */
  public void setDataUriTemplate(String dataUriTemplate) {
    this.dataUriTemplate = dataUriTemplate;
  }

  /** Returns idPrefix: id prefix of generated clients. */
  public String getIdPrefix() {
    return idPrefix;
  }

  /** Sets idPrefix. */
  public void setIdPrefix(String idPrefix) {
    this.idPrefix = idPrefix;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClientsSpec)) {
      return false;
    }
    ClientsSpec other = (ClientsSpec) o;
    return Objects.equals(list, other.list)
        && Objects.equals(count, other.count)
        && Objects.equals(dataUriTemplate, other.dataUriTemplate)
        && Objects.equals(idPrefix, other.idPrefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(list, count, dataUriTemplate, idPrefix);
  }
}
