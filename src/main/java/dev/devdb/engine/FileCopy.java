package dev.devdb.engine;

import java.nio.file.Path;

/**
 * One file to copy into a container.
 *
 * @param name the file's name in the target directory
 * @param source the file on this machine
 * @param mode its permission bits there, e.g. 0644
 */
public record FileCopy(String name, Path source, int mode) {}
