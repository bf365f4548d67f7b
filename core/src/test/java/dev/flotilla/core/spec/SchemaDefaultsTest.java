package dev.flotilla.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schema defaults ({@code @Default}, applied by the API server) and the Java field initialisers
 * (applied when the local runtime parses YAML) must agree, or the two runtimes would differ.
 */
class SchemaDefaultsTest {

  private static final List<Class<?>> SPEC_CLASSES =
      List.of(
          FederationSpec.class,
          BaseModelSpec.class,
          TaskSpec.class,
          SamplingSpec.class,
          AggregationSpec.class,
          LoraSpec.class,
          TrainingSpec.class,
          StorageSpec.class,
          SecretKeysRef.class,
          EvaluationSpec.class,
          ClientPoolSelector.class,
          ImagesSpec.class,
          FailurePolicySpec.class,
          ClientPoolSpec.class,
          ClientsSpec.class,
          ClientEntry.class,
          ResourcesSpec.class,
          TolerationSpec.class,
          EnvVarSpec.class,
          EnvVarSource.class,
          SecretKeySelector.class);

  @Test
  void everyDefaultMatchesTheJavaInitialValue() throws Exception {
    int checked = 0;
    for (Class<?> type : SPEC_CLASSES) {
      Object fresh = type.getConstructor().newInstance();
      for (Field field : type.getDeclaredFields()) {
        Default schemaDefault = field.getAnnotation(Default.class);
        if (schemaDefault == null) {
          continue;
        }
        field.setAccessible(true);
        Object initial = field.get(fresh);
        assertThat(initial).as(type.getSimpleName() + "." + field.getName()).isNotNull();
        assertThat(String.valueOf(initial))
            .as(type.getSimpleName() + "." + field.getName())
            .isEqualTo(normalise(schemaDefault.value(), initial));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(20);
  }

  @Test
  void requiredFieldsHaveNoDefault() {
    for (Class<?> type : SPEC_CLASSES) {
      for (Field field : type.getDeclaredFields()) {
        if (field.isAnnotationPresent(Required.class)) {
          assertThat(field.isAnnotationPresent(Default.class))
              .as(type.getSimpleName() + "." + field.getName())
              .isFalse();
        }
      }
    }
  }

  private static String normalise(String schemaValue, Object javaValue) {
    return javaValue instanceof Double
        ? String.valueOf(Double.parseDouble(schemaValue))
        : schemaValue;
  }
}
