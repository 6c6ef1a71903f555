/**
 * A server's schema as immutable records read from its own catalogue, the differences between two
 * of them, and the DDL that turns one into the other. Pure: no engine, no server.
 */
package dev.devdb.schema;
