package dev.devdb.core;

import dev.devdb.engine.ContainerSpec;
import dev.devdb.engine.Endpoint;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where an instance's port is published (an address of the engine's host, {@code up --bind}, by default
 * its 127.0.0.1), and the address a client on this machine connects to:
 *
 * <ul>
 *   <li>an engine on this machine (a socket, or tcp/ssh to a loopback address): the bound address, and
 *       127.0.0.1 for every interface ({@code 0.0.0.0}, {@code ::});
 *   <li>an engine on another host: bound to its loopback, the port is on that host's 127.0.0.1, which
 *       this machine does not reach: 127.0.0.1, once forwarded ({@code ssh -NL PORT:127.0.0.1:PORT HOST});
 *       bound to every interface, the engine's host as the endpoint names it; bound to one address, that
 *       address.
 * </ul>
 */
public final class PublishedPorts {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private PublishedPorts() {}

    /**
     * The {@code --bind} address, checked: an IPv4 or IPv6 address (no host names: Docker publishes on
     * addresses), 127.0.0.1 when none is given.
     *
     * @throws DevDbException (exit 2) for anything else
     */
    static String checkBind(String value) {
        if (value == null) {
            return ContainerSpec.LOOPBACK;
        }
        String v = value.trim();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        boolean ok = IPV4.matcher(v).matches();
        if (!ok && IPV6.matcher(v).matches()) {
            try {
                InetAddress.getByName(v); // a literal: never a name lookup
                ok = true;
            } catch (UnknownHostException | SecurityException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new DevDbException(ExitCodes.USAGE, "--bind '" + value + "' is not an IP address: give one of the"
                    + " engine host's addresses, 127.0.0.1 (the default, its loopback) or 0.0.0.0 (every interface)");
        }
        return v.toLowerCase(Locale.ROOT);
    }

    /** The address an instance's container publishes its port on, from its labels. */
    static String bind(Map<String, String> labels) {
        String bind = labels.get(Labels.BIND);
        return bind == null || bind.isEmpty() ? ContainerSpec.LOOPBACK : bind;
    }

    /** Whether an address means every interface. */
    static boolean everyInterface(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("0:0:0:0:0:0:0:0");
    }

    /**
     * The address a client on this machine connects to.
     *
     * @param endpoint the engine's endpoint, or null for one on this machine
     * @param bind where the port is published on the engine's host
     */
    public static String clientHost(Endpoint endpoint, String bind) {
        boolean here = endpoint == null || endpoint.onThisMachine();
        if (everyInterface(bind)) {
            return here ? Instance.HOST : endpoint.host();
        }
        if (Endpoint.isLoopback(bind)) {
            return here ? bind : Instance.HOST;
        }
        return bind;
    }

    /** Whether a client on this machine reaches the port at {@link #clientHost} without a forward. */
    public static boolean reachable(Endpoint endpoint, String bind) {
        return endpoint == null || endpoint.onThisMachine() || !Endpoint.isLoopback(bind);
    }

    /**
     * How to reach a port on the engine host's loopback from this machine, when it is another host's: what
     * {@code url} and {@code env} say next to the address they print; null when the address printed reaches
     * it as it is.
     */
    public static String forwardNote(Endpoint endpoint, Map<String, String> labels, Integer port) {
        String bind = bind(labels);
        if (reachable(endpoint, bind)) {
            return null;
        }
        return forwardNote(endpoint, bind, port == null ? "PORT" : port.toString());
    }

    private static String forwardNote(Endpoint endpoint, String bind, String port) {
        return "port " + port + " is on the loopback of " + endpoint.host() + ", where the engine runs, not on this"
                + " machine's: forward it first (ssh -NL " + port + ":" + (bind.contains(":") ? "[" + bind + "]" : bind)
                + ":" + port + " " + endpoint.sshDestination() + "), then connect to " + Instance.HOST + ":" + port;
    }

    /**
     * What {@code up} says about where the port is, when there is something to say: a port bound beyond
     * loopback can be tried by whoever reaches that address; one on another host's loopback needs a forward.
     */
    public static List<String> notes(Endpoint endpoint, Map<String, String> labels, Integer port) {
        String bind = bind(labels);
        List<String> notes = new ArrayList<>();
        String p = port == null ? "PORT" : port.toString();
        boolean here = endpoint == null || endpoint.onThisMachine();
        String where = here ? "this machine" : endpoint.host();
        if (everyInterface(bind)) {
            notes.add("port " + p + " is published on every interface of " + where + " (--bind " + bind
                    + "): whoever reaches " + (here ? "it" : "that host") + " can try to log in, and the password is"
                    + " all that stops them");
        } else if (!Endpoint.isLoopback(bind)) {
            notes.add("port " + p + " is published on " + bind + " of " + where + " (--bind): whoever reaches that"
                    + " address can try to log in, and the password is all that stops them");
        } else if (!here) {
            notes.add(forwardNote(endpoint, bind, p) + "; or publish it where this machine reaches it (up --recreate"
                    + " --bind ADDRESS)");
        }
        return notes;
    }
}
