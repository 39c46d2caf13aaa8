package io.capstan.node.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A CNI runtime (specification 1.0.0): runs the plugins of a network configuration list for one
 * attachment. Each plugin gets the {@code CNI_*} environment, its own configuration on stdin
 * (the list's {@code name} and {@code cniVersion}, {@code runtimeConfig} for the capabilities it
 * declares, and {@code prevResult}), and must answer within the timeout. ADD chains the plugins
 * in order, each seeing the previous result; DEL runs them in reverse with the cached ADD result
 * and tries every plugin even after a failure; CHECK runs them in order with the cached result.
 * Error JSON becomes a {@link CniException} carrying the plugin's {@code msg} and
 * {@code details}. Plugins run in the host namespace given at construction (see {@link HostExec}).
 * Thread-safe; stateless.
 */
public final class CniRunner {
    public static final String VERSION = "1.0.0";
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One attachment of a container to a network.
     *
     * @param containerId CNI_CONTAINERID (capstan uses the pod uid)
     * @param netns CNI_NETNS, the path of the network namespace; may name a namespace that is
     *     already gone for DEL
     * @param ifName CNI_IFNAME ({@code eth0}, {@code lo})
     * @param capabilityArgs runtimeConfig values by capability name, e.g. {@code portMappings}
     */
    public record Attachment(String containerId, String netns, String ifName, Map<String, Object> capabilityArgs) {
        public Attachment {
            capabilityArgs = capabilityArgs == null ? Map.of() : Map.copyOf(capabilityArgs);
        }
    }

    private final List<Path> pluginDirs;
    private final HostExec host;
    private final Duration timeout;

    /**
     * @param pluginDirs directories searched in order for plugin binaries (CNI_PATH)
     * @param hostNetns the namespace plugins run in, or {@code null} for the agent's own
     * @param timeout the limit for one plugin invocation; the plugin is killed after it
     */
    public CniRunner(List<Path> pluginDirs, Path hostNetns, Duration timeout) {
        this.pluginDirs = List.copyOf(pluginDirs);
        this.host = new HostExec(hostNetns);
        this.timeout = timeout;
    }

    /** ADD: attaches and returns the last plugin's result. */
    public JsonNode add(JsonNode confList, Attachment a) throws CniException {
        return add(confList, a, null);
    }

    /** ADD chained after {@code prevResult} (an attachment made without a plugin), or from scratch. */
    public JsonNode add(JsonNode confList, Attachment a, JsonNode prevResult) throws CniException {
        JsonNode result = prevResult;
        for (JsonNode plugin : plugins(confList)) {
            result = invoke("ADD", plugin(confList, plugin, a, result), a);
        }
        return result;
    }

    /**
     * DEL: detaches, in reverse order; idempotent (a gone namespace or an unknown container is
     * not an error for the standard plugins). Every plugin runs; the first failure is thrown.
     */
    public void del(JsonNode confList, Attachment a, JsonNode prevResult) throws CniException {
        List<JsonNode> plugins = plugins(confList);
        CniException first = null;
        for (int i = plugins.size() - 1; i >= 0; i--) {
            try {
                invoke("DEL", plugin(confList, plugins.get(i), a, prevResult), a);
            } catch (CniException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** CHECK: asks every plugin whether the attachment is still as ADD made it. */
    public void check(JsonNode confList, Attachment a, JsonNode prevResult) throws CniException {
        for (JsonNode plugin : plugins(confList)) {
            invoke("CHECK", plugin(confList, plugin, a, prevResult), a);
        }
    }

    /** VERSION: the specification versions plugin {@code type} supports. */
    public List<String> versions(String type) throws CniException {
        ObjectNode conf = JSON.createObjectNode().put("cniVersion", VERSION).put("type", type);
        JsonNode out = invoke("VERSION", conf, new Attachment("", "", "", Map.of()));
        List<String> versions = new ArrayList<>();
        JsonNode v = out == null ? null : out.get("supportedVersions");
        if (v != null && v.isArray()) {
            v.forEach(e -> versions.add(e.asString()));
        }
        return versions;
    }

    /** The binary of plugin {@code type}: the first executable of that name in the plugin dirs. */
    public Path find(String type) throws CniException {
        if (type == null || type.isEmpty() || type.contains("/") || type.startsWith(".")) {
            throw new CniException("invalid CNI plugin type \"" + type + "\"", 7);
        }
        if (pluginDirs.stream().noneMatch(Files::isDirectory)) {
            throw new CniException("no CNI plugin directory exists (looked in " + dirs()
                    + "); install the containernetworking-plugins package or set the plugin dirs", -1);
        }
        for (Path dir : pluginDirs) {
            Path p = dir.resolve(type);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new CniException("CNI plugin \"" + type + "\" not found in " + dirs(), -1);
    }

    private JsonNode invoke(String command, ObjectNode conf, Attachment a) throws CniException {
        String type = conf.path("type").asString("");
        Path binary = find(type);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", a.containerId());
        env.put("CNI_NETNS", a.netns() == null ? "" : a.netns());
        env.put("CNI_IFNAME", a.ifName());
        env.put("CNI_PATH", dirs());
        HostExec.Outcome out;
        try {
            out = host.run(List.of(binary.toString()), env, JSON.writeValueAsBytes(conf), timeout);
        } catch (IOException e) {
            throw new CniException("CNI plugin " + type + " " + command + " could not be run: " + e.getMessage(), e);
        }
        String what = "CNI plugin " + type + " " + command + " (container " + a.containerId() + ")";
        if (out.timedOut()) {
            throw new CniException(what + " timed out after " + timeout.toSeconds() + " s and was killed", -1);
        }
        JsonNode json = parse(out.stdout());
        if (out.exit() != 0) {
            if (json != null && json.has("msg")) {
                String details = json.path("details").asString("");
                throw new CniException(what + " failed (code " + json.path("code").asInt(-1) + "): "
                        + json.get("msg").asString() + (details.isEmpty() ? "" : ": " + details),
                        json.path("code").asInt(-1));
            }
            throw new CniException(what + " failed with exit code " + out.exit() + ": "
                    + (out.stderr().isBlank() ? out.stdout().strip() : out.stderr().strip()), -1);
        }
        if (command.equals("ADD") || command.equals("VERSION")) {
            if (json == null) {
                throw new CniException(what + " printed no JSON result: " + out.stdout().strip(), -1);
            }
            return json;
        }
        return null;
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The configuration one plugin sees (what libcni calls buildOneConfig). */
    static ObjectNode plugin(JsonNode confList, JsonNode plugin, Attachment a, JsonNode prevResult) {
        ObjectNode conf = ((ObjectNode) plugin).deepCopy();
        conf.put("cniVersion", confList.path("cniVersion").asString(VERSION));
        conf.put("name", confList.path("name").asString());
        conf.remove("runtimeConfig");
        conf.remove("prevResult");
        JsonNode caps = plugin.get("capabilities");
        if (caps != null && caps.isObject()) {
            ObjectNode rc = JSON.createObjectNode();
            for (Map.Entry<String, Object> e : a.capabilityArgs().entrySet()) {
                if (caps.path(e.getKey()).asBoolean(false)) {
                    rc.set(e.getKey(), JSON.valueToTree(e.getValue()));
                }
            }
            if (!rc.isEmpty()) {
                conf.set("runtimeConfig", rc);
            }
        }
        if (prevResult != null) {
            conf.set("prevResult", prevResult);
        }
        return conf;
    }

    private static List<JsonNode> plugins(JsonNode confList) throws CniException {
        JsonNode ps = confList.get("plugins");
        if (ps == null || !ps.isArray() || ps.isEmpty()) {
            throw new CniException("network configuration list " + confList.path("name").asString("?")
                    + " has no plugins", 1);
        }
        List<JsonNode> out = new ArrayList<>();
        ps.forEach(out::add);
        return out;
    }

    private String dirs() {
        return pluginDirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    }

    static String text(JsonNode n) {
        return new String(JSON.writeValueAsBytes(n), StandardCharsets.UTF_8);
    }
}
