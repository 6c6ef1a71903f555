package dev.devdb.engine;

/** What a command run inside a container produced. */
public record ExecResult(int exitCode, String stdout, String stderr) {}
