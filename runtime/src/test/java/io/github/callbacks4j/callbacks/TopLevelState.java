package io.github.callbacks4j.callbacks;

/**
 * A callback's state record declared at top level, as a user's own callback may declare it (the
 * built-ins nest theirs): a backup's messages name it by its simple name alone.
 */
record TopLevelState(int count) {}
