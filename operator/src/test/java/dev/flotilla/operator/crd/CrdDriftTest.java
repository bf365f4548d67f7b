package dev.flotilla.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed CRD copies must be exactly what the build generates. */
class CrdDriftTest {

  private static final String HINT =
      "committed CRDs are out of date: run operator/update-crds.sh"
          + " (mvn -pl operator -am -Dflotilla.updateCrds process-test-classes) and commit crds/"
          + " and charts/flotilla/crds/";

  @TempDir Path tmp;

  @Test
  void committedCopiesMatchTheGeneratedCrds() throws IOException {
    Map<String, String> generated = CrdFiles.generate(tmp);
    assertThat(generated).containsOnlyKeys(CrdFiles.FEDERATIONS, CrdFiles.CLIENTPOOLS);
    for (String property : new String[] {"crds.committed.dir", "crds.chart.dir"}) {
      Path directory = Path.of(System.getProperty(property, "../crds"));
      assertThat(CrdFiles.read(directory)).as(HINT + " (" + directory + ")").isEqualTo(generated);
    }
  }
}
