package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** An environment variable of the trainer container. */
@ValidationRule(
    value = "!(has(self.value) && has(self.valueFrom))",
    message = "set at most one of value and valueFrom")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvVarSpec {

  @JsonPropertyDescription("Variable name.")
  @Required
  @Pattern("^[-._a-zA-Z][-._a-zA-Z0-9]*$")
  @Size(max = SpecBounds.SHORT_STRING)
  private String name;

  @JsonPropertyDescription("Literal value, at most 4096 characters; set this or valueFrom.")
  @Size(max = SpecBounds.ENV_VALUE)
  private String value;

  @JsonPropertyDescription("Value from a Secret; set this or value.")
  private EnvVarSource valueFrom;

  /** Returns name: variable name. */
  public String getName() {
    return name;
  }

  /** Sets name. */
  public void setName(String name) {
    this.name = name;
  }

  /** Returns value: literal value; set this or valueFrom. */
  public String getValue() {
    return value;
  }

  /** Sets value. */
  public void setValue(String value) {
    this.value = value;
  }

  /** Returns valueFrom: value from a Secret; set this or value. */
  public EnvVarSource getValueFrom() {
    return valueFrom;
  }

  /** Sets valueFrom. */
  public void setValueFrom(EnvVarSource valueFrom) {
    this.valueFrom = valueFrom;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EnvVarSpec)) {
      return false;
    }
    EnvVarSpec other = (EnvVarSpec) o;
    return Objects.equals(name, other.name)
        && Objects.equals(value, other.value)
        && Objects.equals(valueFrom, other.valueFrom);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, value, valueFrom);
  }
}
