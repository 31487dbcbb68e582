package io.github.callbacks4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions of this build, filtered into {@code build.properties} by Maven. */
final class BuildInfo {
  static final String VERSION;
  static final String COMPILER_PLUGIN_VERSION;

  static {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        throw new IllegalStateException("callbacks4j-api's build.properties is missing from its jar");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    VERSION = properties.getProperty("version");
    COMPILER_PLUGIN_VERSION = properties.getProperty("maven-compiler-plugin.version");
  }

  private BuildInfo() {}
}
