package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs every epoch's logs to a server, as Keras's {@code RemoteMonitor}: the payload is
 * {@code {"epoch": e, "<key>": value, ...}} as Python's {@code json.dumps} writes it, sent as the
 * form field {@code field} (default {@code data}) or, with {@code sendAsJson}, as the JSON body.
 *
 * <p>Unlike Keras, sending happens on a background thread with a timeout, so a slow or dead server
 * never stalls training. At train end what is still pending gets {@code flushTimeout} (2 seconds by
 * default) to finish; the rest is dropped with one warning that says how many. A failure is logged
 * once as a warning (later ones at debug level); headers, which often carry tokens, are never
 * logged. {@code fit} closes the sender however it ends; the next {@code fit} starts a new one.
 */
public class RemoteMonitor implements Callback, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteMonitor.class);

  private final URI uri;
  private final String field;
  private final Map<String, String> headers;
  private final boolean sendAsJson;
  private final Duration timeout;
  private final Duration flushTimeout;
  private final List<Future<?>> pending = new ArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger delivered = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  /** Both made at the first send of a fit and released by {@link #close}; guarded by pending. */
  private HttpClient client;
  private ExecutorService sender;

  private RemoteMonitor(Builder b) {
    this.uri = URI.create(b.root + b.path);
    this.field = b.field;
    this.headers = Map.copyOf(b.headers);
    this.sendAsJson = b.sendAsJson;
    this.timeout = b.timeout;
    this.flushTimeout = b.flushTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    String json = payload(epoch, logs);
    synchronized (pending) {
      if (sender == null) {
        client = HttpClient.newBuilder().connectTimeout(timeout).build();
        sender = Executors.newSingleThreadExecutor(runnable -> {
          Thread thread = new Thread(runnable, "callbacks4j-RemoteMonitor");
          thread.setDaemon(true);
          return thread;
        });
      }
      HttpClient http = client;
      pending.removeIf(Future::isDone);
      pending.add(sender.submit(() -> send(http, json)));
    }
  }

  /** Gives pending sends up to {@code flushTimeout} in all, then drops the rest. */
  @Override
  public void onTrainEnd(Logs logs) {
    List<Future<?>> waiting;
    synchronized (pending) {
      waiting = new ArrayList<>(pending);
    }
    long deadline = System.nanoTime() + flushTimeout.toNanos();
    try {
      for (Future<?> future : waiting) {
        try {
          future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          // send counts and logs its own failures
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      // what is left is dropped by close
    } finally {
      close();
    }
  }

  /**
   * Drops the sends still pending, with one warning that says how many, and stops the sending
   * thread; {@code fit} calls this however it ends. Closing twice is harmless, and the next
   * {@code fit} sends again.
   */
  @Override
  public void close() {
    int unfinished = 0;
    synchronized (pending) {
      for (Future<?> future : pending) {
        if (future.cancel(true)) {
          unfinished++;
        }
      }
      pending.clear();
      if (sender != null) {
        sender.shutdownNow();
      }
      sender = null;
      client = null;
    }
    if (unfinished > 0) {
      dropped.addAndGet(unfinished);
      LOG.warn("RemoteMonitor dropped {} pending send(s) to {}: not finished within the {} ms"
          + " flushTimeout at train end (or fit failed)", unfinished, uri, flushTimeout.toMillis());
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

  private void send(HttpClient http, String json) {
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
          http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() >= 400) {
        fail("HTTP " + response.statusCode());
      } else {
        delivered.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!Thread.currentThread().isInterrupted()) { // a dropped send is counted by close
        fail(e.toString());
      }
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

  /** Sends dropped unfinished at train end (or when fit failed). */
  public int dropped() {
    return dropped.get();
  }

  /**
   * Keras's defaults: {@code http://localhost:9000}, {@code /publish/epoch/end/}, form field
   * {@code data}; beyond Keras, a 10 s timeout per send and a 2 s flush at train end.
   */
  public static final class Builder {
    private String root = "http://localhost:9000";
    private String path = "/publish/epoch/end/";
    private String field = "data";
    private Map<String, String> headers = new LinkedHashMap<>();
    private boolean sendAsJson;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration flushTimeout = Duration.ofSeconds(2);

    private Builder() {}

    /** An http or https URL with a host, such as {@code http://localhost:9000}. */
    public Builder root(String root) {
      Objects.requireNonNull(root, "root");
      URI parsed;
      try {
        parsed = new URI(root);
      } catch (URISyntaxException e) {
        throw badRoot(root);
      }
      String scheme = parsed.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || parsed.getHost() == null || parsed.getRawQuery() != null
          || parsed.getRawFragment() != null) {
        throw badRoot(root);
      }
      this.root = root;
      return this;
    }

    private static IllegalArgumentException badRoot(String root) {
      return new IllegalArgumentException("root must be an http or https URL with a host and no"
          + " query, such as http://localhost:9000, got '" + root + "'");
    }

    /** Appended to the root; empty, or starting with '/'. */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.isEmpty() && !path.startsWith("/")) {
        throw new IllegalArgumentException("path must be empty or start with '/', got '" + path
            + "'; for example /publish/epoch/end/");
      }
      this.path = path;
      return this;
    }

    public Builder field(String field) {
      this.field = BuilderChecks.notBlank("field", field, "\"data\"");
      return this;
    }

    /** Sent with every request; checked here, and never logged (they often carry tokens). */
    public Builder headers(Map<String, String> headers) {
      Map<String, String> copy = new LinkedHashMap<>(Objects.requireNonNull(headers, "headers"));
      HttpRequest.Builder probe = HttpRequest.newBuilder();
      copy.forEach((name, value) -> {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, () -> "value of header " + name);
        try {
          probe.header(name, value);
        } catch (IllegalArgumentException e) {
          // The JDK's message may quote the value, a secret: name the header only.
          throw new IllegalArgumentException("headers: '" + name + "' is not a valid header name,"
              + " its value is not a valid header value, or it is one the HTTP client sets itself"
              + " (such as Host, Content-Length or Connection)");
        }
      });
      this.headers = copy;
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

    /**
     * How long train end waits, in all, for the sends still pending before dropping them; 2
     * seconds by default, zero to drop them at once.
     */
    public Builder flushTimeout(Duration flushTimeout) {
      Objects.requireNonNull(flushTimeout, "flushTimeout");
      if (flushTimeout.isNegative()) {
        throw new IllegalArgumentException("flushTimeout must be zero or positive, got "
            + flushTimeout);
      }
      this.flushTimeout = flushTimeout;
      return this;
    }

    public RemoteMonitor build() {
      try {
        URI.create(root + path).toURL();
      } catch (IllegalArgumentException | MalformedURLException e) {
        throw new IllegalArgumentException("RemoteMonitor root + path is not a URL: '" + root + path
            + "'", e);
      }
      return new RemoteMonitor(this);
    }
  }
}
