package dev.devdb.mysql;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeader;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The row changes a server writes to its binary log, read the way a replica (or Debezium) reads
 * them: devdb connects with a binary log client under a server id of its own and receives every
 * event from the current position on.
 */
public final class ChangeStream implements AutoCloseable {
    /** The library logs through java.util.logging; devdb reports what matters itself. Held so it stays configured. */
    private static final Logger LIBRARY_LOG = Logger.getLogger("com.github.shyiko.mysql.binlog");

    static {
        LIBRARY_LOG.setLevel(Level.OFF);
    }

    /**
     * One changed row.
     *
     * @param time when the server wrote the event
     * @param operation insert, update or delete
     * @param database the schema
     * @param table the table
     * @param before the row before an update or delete, by column name; null for an insert
     * @param after the row after an insert or update; null for a delete
     * @param position binary log file and position of the event
     */
    public record Change(Instant time, String operation, String database, String table, Map<String, Object> before,
            Map<String, Object> after, String position) {}

    private static final Object CLOSED = new Object();

    private final BinaryLogClient client;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Map<Long, TableMapEventData> tables = new HashMap<>();
    private final Predicate<String> wanted;
    private volatile boolean closing;
    private String position;

    private ChangeStream(BinaryLogClient client, Predicate<String> wanted) {
        this.client = client;
        this.wanted = wanted;
    }

    /**
     * Connects and starts receiving events from the server's current binary log position.
     *
     * @param serverId the id devdb's client replicates under: unique among the server's replicas
     * @param wanted which {@code database.table} names to report
     * @throws IOException when the server cannot be reached or refuses the user
     */
    public static ChangeStream open(String host, int port, String user, String password, long serverId,
            Predicate<String> wanted, Duration timeout) throws IOException {
        BinaryLogClient client = new BinaryLogClient(host, port, user, password);
        client.setServerId(serverId);
        client.setKeepAlive(false);
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
                EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        client.setEventDeserializer(deserializer);
        ChangeStream stream = new ChangeStream(client, wanted);
        client.registerEventListener(stream::onEvent);
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                stream.fail(new IOException("the connection to the server failed: " + message(ex), ex));
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
                stream.fail(new IOException("an event could not be read: " + message(ex), ex));
            }

            @Override
            public void onDisconnect(BinaryLogClient c) {
                stream.queue.add(CLOSED);
            }
        });
        try {
            client.connect(timeout.toMillis());
        } catch (TimeoutException e) {
            throw new IOException("no answer from " + host + ":" + port + " within " + timeout.toSeconds() + "s", e);
        } catch (IOException e) {
            throw new IOException(message(e), e);
        }
        stream.position = client.getBinlogFilename() + ":" + client.getBinlogPosition();
        return stream;
    }

    /** Where the stream started: binary log file and position. */
    public String position() {
        return position;
    }

    /**
     * The next change, waiting at most {@code wait}; null when none came.
     *
     * @throws IOException when the connection failed or the server closed it
     */
    public Change next(Duration wait) throws IOException, InterruptedException {
        Object o = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (o == null) {
            return null;
        }
        if (o instanceof Change c) {
            return c;
        }
        if (o instanceof IOException e) {
            queue.add(e);
            throw e;
        }
        queue.add(CLOSED);
        throw new IOException(closing ? "closed" : "the server closed the connection");
    }

    @Override
    public void close() {
        closing = true;
        try {
            client.disconnect();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void fail(IOException e) {
        if (!closing) {
            queue.add(e);
        }
    }

    private void onEvent(Event event) {
        EventHeader header = event.getHeader();
        EventType type = header.getEventType();
        Object data = EventDeserializer.EventDataWrapper.internal(event.getData());
        if (data instanceof TableMapEventData t) {
            tables.put(t.getTableId(), t);
            return;
        }
        Instant time = Instant.ofEpochMilli(header.getTimestamp());
        String at = client.getBinlogFilename() + ":"
                + (header instanceof EventHeaderV4 v4 ? v4.getNextPosition() - v4.getEventLength() : 0);
        if (EventType.isWrite(type) && data instanceof WriteRowsEventData w) {
            TableMapEventData t = table(w.getTableId());
            if (t != null) {
                for (Serializable[] row : w.getRows()) {
                    queue.add(new Change(time, "insert", t.getDatabase(), t.getTable(), null,
                            BinlogValues.row(t, w.getIncludedColumns(), row), at));
                }
            }
        } else if (EventType.isUpdate(type) && data instanceof UpdateRowsEventData u) {
            TableMapEventData t = table(u.getTableId());
            if (t != null) {
                for (Map.Entry<Serializable[], Serializable[]> row : u.getRows()) {
                    queue.add(new Change(time, "update", t.getDatabase(), t.getTable(),
                            BinlogValues.row(t, u.getIncludedColumnsBeforeUpdate(), row.getKey()),
                            BinlogValues.row(t, u.getIncludedColumns(), row.getValue()), at));
                }
            }
        } else if (EventType.isDelete(type) && data instanceof DeleteRowsEventData d) {
            TableMapEventData t = table(d.getTableId());
            if (t != null) {
                for (Serializable[] row : d.getRows()) {
                    queue.add(new Change(time, "delete", t.getDatabase(), t.getTable(),
                            BinlogValues.row(t, d.getIncludedColumns(), row), null, at));
                }
            }
        }
    }

    /** The table a rows event is about, when it is one of the wanted ones. */
    private TableMapEventData table(long id) {
        TableMapEventData t = tables.get(id);
        if (t == null || !wanted.test(t.getDatabase() + "." + t.getTable())) {
            return null;
        }
        return t;
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof IOException
                && t.getCause() instanceof IOException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The {@code database.table} names a list of patterns ({@code db.table}, {@code db.*}) lets through. */
    public static Predicate<String> tables(List<String> patterns, List<String> skipDatabases) {
        if (patterns.isEmpty()) {
            return name -> !skipDatabases.contains(name.substring(0, name.indexOf('.')));
        }
        return name -> patterns.stream().anyMatch(p -> p.endsWith(".*")
                ? name.startsWith(p.substring(0, p.length() - 1)) : p.equals(name));
    }
}
