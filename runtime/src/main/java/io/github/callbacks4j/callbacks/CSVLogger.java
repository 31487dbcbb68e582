package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.ModelState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Streams every epoch's logs to a CSV file, as Keras's {@code CSVLogger}: a header {@code epoch}
 * then the keys of the first epoch's logs, sorted (plus a {@code val_} column for each when the
 * first epoch has none, as Keras does for {@code validation_freq > 1}); the 0-based epoch; values
 * as Python writes them ({@code nan} for NaN); {@code NA} for a key missing in a later epoch; keys
 * first seen later are dropped. Lines end in CRLF, as Python's csv module writes them.
 *
 * <p>Each row is written and flushed with the file opened and closed around it, so an interrupted
 * run loses nothing and leaks no handle (Keras issues #13377, #23354). In {@code append} mode no
 * second header is written when the file already starts with one. An existing log is cut (to empty,
 * or to its length at the backup when resuming) only just before the new run's first row, so a fit
 * that fails before its first epoch ends leaves it as it was.
 */
public class CSVLogger implements StatefulCallback<CSVLogger.State> {
  private final Path file;
  private final String separator;
  private final boolean append;
  private List<String> keys;
  private boolean writeHeader;
  /** The length the file is cut to before the next row is appended; null when none. */
  private Long cutTo;

  private CSVLogger(Builder builder) {
    this.file = builder.file;
    this.separator = builder.separator;
    this.append = builder.append;
  }

  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /**
   * Checks the folder; the file itself is not touched until the first row, so a fit that fails
   * before its first epoch ends (another callback's check, say) leaves the old log as it was.
   */
  @Override
  public void onTrainBegin(Logs logs) {
    keys = null;
    WritableDirectory.require("CSVLogger", file.toAbsolutePath().getParent());
    if (Files.isDirectory(file) || Files.exists(file) && !Files.isWritable(file)) {
      throw new UncheckedIOException("CSVLogger cannot write " + file, new IOException(file
          + (Files.isDirectory(file) ? " is a directory" : " is not writable")
          + "; give CSVLogger a file path it can write"));
    }
    if (append) {
      try {
        writeHeader = !startsWithHeader();
      } catch (IOException e) {
        throw new UncheckedIOException("CSVLogger cannot read " + file, e);
      }
      cutTo = null;
    } else {
      writeHeader = true;
      cutTo = 0L;
    }
  }

  private boolean startsWithHeader() throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    // One byte says whether the first line is empty; a line read could be the whole file.
    try (InputStream in = Files.newInputStream(file)) {
      int first = in.read();
      return first != -1 && first != '\r' && first != '\n';
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    StringBuilder lines = new StringBuilder();
    if (keys == null) {
      keys = new ArrayList<>(logs.keys());
      if (!keys.isEmpty() && keys.stream().noneMatch(k -> k.startsWith("val_"))) {
        List.copyOf(keys).forEach(k -> keys.add("val_" + k));
      }
      if (writeHeader) {
        lines.append("epoch");
        keys.forEach(k -> lines.append(separator).append(k));
        lines.append("\r\n");
      }
    }
    lines.append(epoch);
    for (String key : keys) {
      lines.append(separator)
          .append(logs.contains(key) ? PythonFormat.repr(logs.get(key)) : "NA");
    }
    lines.append("\r\n");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (cutTo != null) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE)) {
          channel.truncate(cutTo);
        }
        cutTo = null;
      }
      Files.writeString(file, lines, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger cannot write " + file, e);
    }
  }

  /** {@code CSVLogger(<file>)}. */
  @Override
  public String stateKey() {
    return "CSVLogger(" + file + ")";
  }

  /**
   * What a backup keeps: the columns (null before the first row chose them), whether the header is
   * still to be written, and how long the file was, so a resumed run drops rows written after it.
   */
  public record State(List<String> keys, boolean writeHeader, long length) {
    public State {
      StateChecks.atLeast("length", length, 0);
      if (keys != null) {
        if (keys.stream().anyMatch(Objects::isNull)) {
          throw new IllegalArgumentException("keys must not hold null, got " + keys);
        }
        keys = List.copyOf(keys);
      }
    }
  }

  @Override
  public Class<State> stateType() {
    return State.class;
  }

  @Override
  public State saveState() {
    try {
      return new State(keys, writeHeader,
          cutTo != null ? cutTo : Files.exists(file) ? Files.size(file) : 0);
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger cannot read the size of " + file, e);
    }
  }

  @Override
  public Runnable prepareRestore(State state, Map<String, ModelState> snapshots) {
    return () -> {
      keys = state.keys() == null ? null : new ArrayList<>(state.keys());
      writeHeader = state.writeHeader();
      cutTo = state.length(); // drop the rows written after the backup, with the next row
    };
  }

  /** The file is required; separator {@code ","}, append false, as Keras. */
  public static final class Builder {
    private final Path file;
    private String separator = ",";
    private boolean append;

    private Builder(Path file) {
      this.file = BuilderChecks.path("file", file, "Path.of(\"training.csv\")");
    }

    public Builder separator(String separator) {
      this.separator = Objects.requireNonNull(separator, "separator");
      if (separator.isEmpty()) {
        throw new IllegalArgumentException("separator must not be empty");
      }
      return this;
    }

    /** Append to an existing file instead of overwriting it. */
    public Builder append(boolean append) {
      this.append = append;
      return this;
    }

    public CSVLogger build() {
      return new CSVLogger(this);
    }
  }
}
