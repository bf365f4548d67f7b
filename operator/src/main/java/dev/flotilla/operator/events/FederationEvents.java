package dev.flotilla.operator.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events (core/v1) about a Flotilla resource, shown by {@code kubectl describe}.
 * Events are best effort and sent from a single background thread, so a round with many failed
 * clients never slows a reconcile down and an API error never fails one.
 *
 * <p>Two kinds: {@link #emit} records an occurrence under a random name (operational problems that
 * may legitimately repeat); {@link #once} records a fact under a name derived from the resource's
 * uid and a key, and only creates it if absent, so the same fact reported again (by another
 * reconcile, or by a restarted operator that lost its memory) stays one Event with count 1.
 */
@ApplicationScoped
public class FederationEvents {

  /** Reporting component of every event. */
  public static final String COMPONENT = "flotilla-operator";

  private static final Logger LOG = Logger.getLogger(FederationEvents.class);
  private static final int MAX_MESSAGE = 1024;

  /** Names of {@link #once} events known to exist, so a repeat costs no API call. */
  private static final int KNOWN_LIMIT = 20_000;

  private final Set<String> known =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > KNOWN_LIMIT;
                }
              }));

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
    String name =
        about.getMetadata().getName()
            + "."
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 16)
                .toLowerCase(Locale.ROOT);
    send(event(about, name, type, reason, message), false);
  }

  /**
   * Records the event identified by {@code key} about {@code about} unless it was recorded before
   * (by this or an earlier operator process): its name is {@link #onceName}, and an existing Event
   * of that name is left as it is.
   */
  public void once(HasMetadata about, String key, String type, String reason, String message) {
    String name = onceName(about, key);
    if (known.contains(name)) {
      return;
    }
    send(event(about, name, type, reason, message), true);
  }

  /**
   * The deterministic Event name of {@code key} about {@code about}: the resource name plus 16 hex
   * digits of SHA-256 over the resource's uid and the key, so a re-created resource of the same
   * name never inherits its predecessor's events.
   */
  public static String onceName(HasMetadata about, String key) {
    String uid = about.getMetadata().getUid() == null ? "" : about.getMetadata().getUid();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((uid + "\n" + key).getBytes(StandardCharsets.UTF_8));
      return about.getMetadata().getName() + "." + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private Event event(HasMetadata about, String name, String type, String reason, String message) {
    Instant now = clock.instant();
    String timestamp = DateTimeFormatter.ISO_INSTANT.format(now);
    return new EventBuilder()
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
        .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message)
        .withFirstTimestamp(timestamp)
        .withLastTimestamp(timestamp)
        .withEventTime(new MicroTime(timestamp))
        .withCount(1)
        .withAction(reason)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(instance)
        .build();
  }

  private void send(Event event, boolean once) {
    String name = event.getMetadata().getName();
    String reason = event.getReason();
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
              if (once) {
                known.add(name);
              }
            } catch (KubernetesClientException e) {
              if (once && e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                known.add(name);
                LOG.debugf("event %s/%s was already recorded", reason, name);
              } else {
                LOG.warnf("could not record event %s/%s: %s", reason, name, e.getMessage());
              }
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
