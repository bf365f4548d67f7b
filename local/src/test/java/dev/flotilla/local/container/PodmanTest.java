package dev.flotilla.local.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.workload.WorkloadContainer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The podman options of a container's security settings, and the kubelet's runAsNonRoot check
 * against the image's user: an image the Job's security context cannot run is refused before it
 * starts.
 */
class PodmanTest {

  private static ContainerSpec spec(WorkloadContainer.Security security, Long runAsUser) {
    return new ContainerSpec(
        "flotilla-w",
        "localhost/flotilla-trainer:1",
        "Never",
        List.of(),
        Map.of(),
        Map.of(),
        List.of(),
        security,
        runAsUser,
        null,
        List.of(),
        null,
        null);
  }

  @Test
  void theJobsSecuritySettingsBecomeRestrictedPodmanOptions() throws Exception {
    assertThat(Podman.securityOptions(spec(WorkloadContainer.SECURITY, null), "10001:10001"))
        .containsExactly(
            "--read-only",
            "--read-only-tmpfs=false",
            "--security-opt=no-new-privileges",
            "--cap-drop=ALL");
  }

  @Test
  void runAsNonRootRefusesImagesRunningAsRootOrAnUnverifiableUser() {
    for (String user : List.of("", "root", "0", "0:0")) {
      assertThatThrownBy(() -> Podman.securityOptions(spec(WorkloadContainer.SECURITY, null), user))
          .isInstanceOf(ContainerEngineException.class)
          .hasMessageContaining("will run as root");
    }
    assertThatThrownBy(
            () -> Podman.securityOptions(spec(WorkloadContainer.SECURITY, null), "flotilla"))
        .hasMessageContaining("non-numeric user (flotilla)");
    assertThatThrownBy(() -> Podman.securityOptions(spec(WorkloadContainer.SECURITY, 0L), "10001"))
        .hasMessageContaining("runAsUser 0");
  }

  @Test
  void settingsWithoutAPodmanEquivalentFailInsteadOfBeingDropped() {
    WorkloadContainer.Security localhostProfile =
        new WorkloadContainer.Security(true, true, false, false, List.of("ALL"), "Localhost");
    assertThatThrownBy(() -> Podman.securityOptions(spec(localhostProfile, null), "10001"))
        .hasMessageContaining("seccomp profile Localhost");
  }
}
