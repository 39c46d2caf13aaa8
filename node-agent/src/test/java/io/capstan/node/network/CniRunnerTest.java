package io.capstan.node.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The CNI protocol with fake plugins (shell scripts) and the real plugins' VERSION. */
class CniRunnerTest {
    @TempDir
    Path tmp;

    private Path plugin(String name, String script) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private CniRunner runner(Duration timeout) {
        return new CniRunner(List.of(tmp.resolve("plugins")), null, timeout);
    }

    private static ObjectNode list(String... types) {
        ObjectNode l = CniRunner.JSON.createObjectNode().put("cniVersion", "1.0.0").put("name", "testnet");
        for (String t : types) {
            l.withArray("plugins").addObject().put("type", t);
        }
        return l;
    }

    @Test
    void errorJsonBecomesAnExceptionWithThePluginsMessageAndDetails() throws Exception {
        plugin("broken", "cat >/dev/null; echo '{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"invalid config\","
                + "\"details\":\"bridge name missing\"}'; exit 1");
        CniException e = assertThrows(CniException.class, () -> runner(Duration.ofSeconds(10))
                .add(list("broken"), new CniRunner.Attachment("c1", "/x", "eth0", Map.of())));
        assertEquals("CNI plugin broken ADD (container c1) failed (code 7): invalid config: bridge name missing",
                e.getMessage());
        assertEquals(7, e.code());
    }

    @Test
    void aFailureWithoutErrorJsonReportsExitCodeAndStderr() throws Exception {
        plugin("crash", "cat >/dev/null; echo 'panic: boom' >&2; exit 2");
        CniException e = assertThrows(CniException.class, () -> runner(Duration.ofSeconds(10))
                .del(list("crash"), new CniRunner.Attachment("c1", "", "eth0", Map.of()), null));
        assertEquals("CNI plugin crash DEL (container c1) failed with exit code 2: panic: boom", e.getMessage());
    }

    @Test
    void aHangingPluginIsKilledAfterTheTimeout() throws Exception {
        plugin("hang", "exec sleep 60");
        CniException e = assertThrows(CniException.class, () -> runner(Duration.ofMillis(500))
                .add(list("hang"), new CniRunner.Attachment("c1", "/x", "eth0", Map.of())));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    }

    @Test
    void missingPluginDirsAndPluginsAreNamed() throws Exception {
        CniRunner none = new CniRunner(List.of(tmp.resolve("nope"), tmp.resolve("nope2")), null, Duration.ofSeconds(5));
        CniException noDir = assertThrows(CniException.class, () -> none.find("bridge"));
        assertEquals("no CNI plugin directory exists (looked in " + tmp.resolve("nope") + ":" + tmp.resolve("nope2")
                + "); install the containernetworking-plugins package or set the plugin dirs", noDir.getMessage());

        plugin("other", "exit 0");
        CniException noPlugin = assertThrows(CniException.class, () -> runner(Duration.ofSeconds(5)).find("bridge"));
        assertEquals("CNI plugin \"bridge\" not found in " + tmp.resolve("plugins"), noPlugin.getMessage());
        assertThrows(CniException.class, () -> runner(Duration.ofSeconds(5)).find("../bin/sh"));

        PodNetwork net = new PodNetwork(NetworkConfig.defaults(tmp, "10.244.1.0/24").withPluginDirs(List.of(tmp.resolve("nope"))));
        CniException start = assertThrows(CniException.class, net::start);
        assertTrue(start.getMessage().startsWith("no CNI plugin directory exists"), start.getMessage());
    }

    @Test
    void pluginsGetTheEnvironmentTheirConfigAndThePreviousResult() throws Exception {
        // each plugin records its env and stdin, then answers with a result naming itself
        String record = "in=$(cat); echo \"$CNI_COMMAND $CNI_CONTAINERID $CNI_NETNS $CNI_IFNAME $CNI_PATH\" >> "
                + tmp.resolve("calls") + "; echo \"$in\" >> " + tmp.resolve("stdin") + "; ";
        plugin("first", record + "echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.244.1.5/24\"}]}'");
        plugin("second", record + "echo \"$in\" | sed 's/.*\"prevResult\":\\(.*\\)}$/\\1/'");
        ObjectNode conf = list("first", "second");
        ((ObjectNode) conf.get("plugins").get(1)).putObject("capabilities").put("portMappings", true);
        List<Map<String, Object>> ports = List.of(Map.of("hostPort", 80, "containerPort", 8080, "protocol", "tcp"));
        Map<String, Object> caps = Map.of("portMappings", ports, "bandwidth", Map.of());

        JsonNode result = runner(Duration.ofSeconds(10)).add(conf, new CniRunner.Attachment("c1", "/run/ns1", "eth0", caps));
        assertEquals(List.of("10.244.1.5"), Conflists.podIps(result));

        List<String> calls = Files.readAllLines(tmp.resolve("calls"));
        assertEquals(List.of("ADD c1 /run/ns1 eth0 " + tmp.resolve("plugins"), "ADD c1 /run/ns1 eth0 " + tmp.resolve("plugins")),
                calls);
        List<String> stdin = Files.readAllLines(tmp.resolve("stdin"));
        JsonNode first = CniRunner.JSON.readTree(stdin.get(0));
        JsonNode second = CniRunner.JSON.readTree(stdin.get(1));
        assertEquals("testnet", first.get("name").asString());
        assertEquals("1.0.0", first.get("cniVersion").asString());
        assertFalse(first.has("runtimeConfig"), "no capability declared, no runtimeConfig");
        assertFalse(first.has("prevResult"));
        assertEquals(8080, second.at("/runtimeConfig/portMappings/0/containerPort").asInt());
        assertFalse(second.at("/runtimeConfig").has("bandwidth"), "only declared capabilities");
        assertEquals("10.244.1.5/24", second.at("/prevResult/ips/0/address").asString());

        Files.delete(tmp.resolve("calls"));
        runner(Duration.ofSeconds(10)).del(conf, new CniRunner.Attachment("c1", "", "eth0", caps), result);
        assertEquals(List.of("DEL c1  eth0 " + tmp.resolve("plugins"), "DEL c1  eth0 " + tmp.resolve("plugins")),
                Files.readAllLines(tmp.resolve("calls")));
        List<String> delIn = Files.readAllLines(tmp.resolve("stdin"));
        assertEquals("second", CniRunner.JSON.readTree(delIn.get(2)).get("type").asString(), "DEL runs in reverse");
        assertEquals("10.244.1.5/24", CniRunner.JSON.readTree(delIn.get(3)).at("/prevResult/ips/0/address").asString());
    }

    @Test
    void theInstalledPluginsSpeakCni100() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")), "containernetworking-plugins not installed");
        CniRunner real = new CniRunner(NetworkConfig.DEFAULT_PLUGIN_DIRS, null, Duration.ofSeconds(10));
        for (String type : PodNetwork.PLUGINS) {
            assertTrue(real.versions(type).contains("1.0.0"), type);
        }
    }
}
