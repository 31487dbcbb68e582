package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs every epoch's logs to a server, as Keras's {@code RemoteMonitor}: the payload is
 * {@code {"epoch": e, "<key>": value, ...}} as Python's {@code json.dumps} writes it, sent as the
 * form field {@code field} (default {@code data}) or, with {@code sendAsJson}, as the JSON body.
 *
 * <p>Unlike Keras, sending happens on a background thread with a timeout, so a slow or dead server
 * never stalls training; {@code fit}'s end waits at most one timeout for what is still pending. A
 * failure is logged once as a warning (later ones at debug level); headers, which often carry
 * tokens, are never logged.
 */
public class RemoteMonitor implements Callback {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteMonitor.class);

  private final URI uri;
  private final String field;
  private final Map<String, String> headers;
  private final boolean sendAsJson;
  private final Duration timeout;
  private final HttpClient client;
  private final ExecutorService sender;
  private final List<Future<?>> pending = new ArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger delivered = new AtomicInteger();

  private RemoteMonitor(Builder b) {
    this.uri = URI.create(b.root + b.path);
    this.field = b.field;
    this.headers = Map.copyOf(b.headers);
    this.sendAsJson = b.sendAsJson;
    this.timeout = b.timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    // One daemon thread, which ends after 30 idle seconds: nothing to close, nothing left running.
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "callbacks4j-RemoteMonitor");
          thread.setDaemon(true);
          return thread;
        });
    executor.allowCoreThreadTimeOut(true);
    this.sender = executor;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    String json = payload(epoch, logs);
    synchronized (pending) {
      pending.removeIf(Future::isDone);
      pending.add(sender.submit(() -> send(json)));
    }
  }

  @Override
  public void onTrainEnd(Logs logs) {
    List<Future<?>> waiting;
    synchronized (pending) {
      waiting = new ArrayList<>(pending);
      pending.clear();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Future<?> future : waiting) {
      try {
        future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        return; // still pending or failed: already counted and logged by send
      }
    }
  }

  /** {@code {"epoch": 3, "accuracy": 0.875, "loss": 0.25}}, spaced as Python's json.dumps. */
  static String payload(int epoch, Logs logs) {
    StringBuilder json = new StringBuilder("{\"epoch\": ").append(epoch);
    logs.forEach((key, value) -> json.append(", ").append(quote(key)).append(": ").append(number(value)));
    return json.append('}').toString();
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    return PythonFormat.repr(value);
  }

  private static String quote(String text) {
    StringBuilder s = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            s.append(String.format("\\u%04x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    return s.append('"').toString();
  }

  private void send(String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
    headers.forEach(request::header);
    if (sendAsJson) {
      request.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    } else {
      request.header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(
              URLEncoder.encode(field, StandardCharsets.UTF_8) + "="
                  + URLEncoder.encode(json, StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<Void> response =
          client.send(request.build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() >= 400) {
        fail("HTTP " + response.statusCode());
      } else {
        delivered.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      fail(e.toString());
    }
  }

  private void fail(String why) {
    if (failures.getAndIncrement() == 0) {
      LOG.warn("RemoteMonitor could not reach {} ({}); training goes on, and further failures are"
          + " logged at debug level", uri, why);
    } else {
      LOG.debug("RemoteMonitor could not reach {} ({})", uri, why);
    }
  }

  /** Sends that failed (connection refused, timeout, HTTP error status). */
  public int failures() {
    return failures.get();
  }

  /** Sends the server accepted. */
  public int delivered() {
    return delivered.get();
  }

  /** Keras's defaults: {@code http://localhost:9000}, {@code /publish/epoch/end/}, form field {@code data}. */
  public static final class Builder {
    private String root = "http://localhost:9000";
    private String path = "/publish/epoch/end/";
    private String field = "data";
    private Map<String, String> headers = new LinkedHashMap<>();
    private boolean sendAsJson;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder() {}

    public Builder root(String root) {
      this.root = Objects.requireNonNull(root, "root");
      return this;
    }

    public Builder path(String path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    public Builder field(String field) {
      this.field = Objects.requireNonNull(field, "field");
      return this;
    }

    public Builder headers(Map<String, String> headers) {
      this.headers = new LinkedHashMap<>(Objects.requireNonNull(headers, "headers"));
      return this;
    }

    public Builder sendAsJson(boolean sendAsJson) {
      this.sendAsJson = sendAsJson;
      return this;
    }

    /** How long one send may take, connecting included; 10 seconds by default. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    public RemoteMonitor build() {
      try {
        URI.create(root + path).toURL();
      } catch (IllegalArgumentException | java.net.MalformedURLException e) {
        throw new IllegalArgumentException("RemoteMonitor root + path is not a URL: '" + root + path
            + "'", e);
      }
      return new RemoteMonitor(this);
    }
  }
}
