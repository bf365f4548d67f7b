package dev.flotilla.operator.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events (core/v1) about a Flotilla resource, shown by {@code kubectl describe}.
 * Events are best effort and sent from a single background thread, so a round with many failed
 * clients never slows a reconcile down and an API error never fails one.
 */
@ApplicationScoped
public class FederationEvents {

  /** Reporting component of every event. */
  public static final String COMPONENT = "flotilla-operator";

  private static final Logger LOG = Logger.getLogger(FederationEvents.class);
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "flotilla-events");
            thread.setDaemon(true);
            return thread;
          });

  /** Events sent through {@code client}. */
  public FederationEvents(KubernetesClient client) {
    this.client = client;
    this.clock = Clock.systemUTC();
    this.instance = System.getenv().getOrDefault("HOSTNAME", COMPONENT);
  }

  /** Records a Normal event. */
  public void normal(HasMetadata about, String reason, String message) {
    emit(about, "Normal", reason, message);
  }

  /** Records a Warning event. */
  public void warning(HasMetadata about, String reason, String message) {
    emit(about, "Warning", reason, message);
  }

  /** Records an event of {@code type} (Normal or Warning) about {@code about}. */
  public void emit(HasMetadata about, String type, String reason, String message) {
    Instant now = clock.instant();
    String timestamp = DateTimeFormatter.ISO_INSTANT.format(now);
    String name =
        about.getMetadata().getName()
            + "."
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 16)
                .toLowerCase(Locale.ROOT);
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(about.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(about.getApiVersion())
                    .withKind(about.getKind())
                    .withName(about.getMetadata().getName())
                    .withNamespace(about.getMetadata().getNamespace())
                    .withUid(about.getMetadata().getUid())
                    .withResourceVersion(about.getMetadata().getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(
                message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message)
            .withFirstTimestamp(timestamp)
            .withLastTimestamp(timestamp)
            .withEventTime(new MicroTime(DateTimeFormatter.ISO_INSTANT.format(now)))
            .withCount(1)
            .withAction(reason)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(instance)
            .build();
    try {
      sender.execute(
          () -> {
            try {
              client
                  .v1()
                  .events()
                  .inNamespace(event.getMetadata().getNamespace())
                  .resource(event)
                  .create();
            } catch (KubernetesClientException e) {
              LOG.warnf("could not record event %s/%s: %s", reason, name, e.getMessage());
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.debugf("operator stopping, event %s dropped", reason);
    }
  }

  /** Stops the sender thread. */
  @PreDestroy
  void close() {
    sender.shutdown();
  }
}
