package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** LoRA hyper-parameters shared by all clients (the rank is per client pool). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoraSpec {

  @JsonPropertyDescription("lora_alpha: a module of rank r is scaled by alpha / r; in (0, 100000].")
  @Default("16")
  @Min(value = 0, inclusive = false)
  @Max(SpecBounds.ALPHA)
  private Double alpha = 16.0;

  @JsonPropertyDescription("lora_dropout applied to the adapter input during training.")
  @Default("0.05")
  @Min(0)
  @Max(value = 1, inclusive = false)
  private Double dropout = 0.05;

  @JsonPropertyDescription(
      "Module-name suffixes LoRA is applied to (PEFT target_modules), e.g. query, value, q_proj,"
          + " v_proj; at most 64 names of at most 253 characters.")
  @Size(min = 1, max = SpecBounds.TARGET_MODULES)
  @ValidationRule(
      value = "self.all(m, m.size() >= 1 && m.size() <= 253)",
      message = "every target module must be 1 to 253 characters")
  private List<String> targetModules = new ArrayList<>(List.of("query", "value"));

  /** Returns alpha: lora_alpha: a module of rank r is scaled by alpha / r. */
  public Double getAlpha() {
    return alpha;
  }

  /** Sets alpha. */
  public void setAlpha(Double alpha) {
    this.alpha = alpha;
  }

  /** Returns dropout: lora_dropout applied to the adapter input during training. */
  public Double getDropout() {
    return dropout;
  }

  /** Sets dropout. */
  public void setDropout(Double dropout) {
    this.dropout = dropout;
  }

  /** Returns targetModules: module-name suffixes LoRA is applied to (PEFT target_modules), e.g. */
  public List<String> getTargetModules() {
    return targetModules;
  }

  /** Sets targetModules. */
  public void setTargetModules(List<String> targetModules) {
    this.targetModules = targetModules;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LoraSpec)) {
      return false;
    }
    LoraSpec other = (LoraSpec) o;
    return Objects.equals(alpha, other.alpha)
        && Objects.equals(dropout, other.dropout)
        && Objects.equals(targetModules, other.targetModules);
  }

  @Override
  public int hashCode() {
    return Objects.hash(alpha, dropout, targetModules);
  }
}
