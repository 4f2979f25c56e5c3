#!/usr/bin/env python3
"""Checks the deploy files in deploy/ (systemd, container, Kubernetes) against the built gateway.

Run by DeployFilesTests (Swift) with the venv's Python (PyYAML) and GATEWAY_BIN set:
    check_deploy_files.py ClassName   # one unittest class, e.g. SystemdUnitTests
No container engine or cluster runs here, so it checks what can be checked without one: the
files parse, the paths they name exist in the repository, ports, probes and secrets agree with
the gateway.conf they ship, `gateway --check` accepts those configs, and the container's runtime
packages are the ones providing the shared libraries the binary links.
"""

import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEPLOY = os.path.join(ROOT, "deploy")
GATEWAY_BIN = os.environ.get("GATEWAY_BIN") or os.path.join(ROOT, ".build", "debug", "gateway")
HEALTH_SOURCE = os.path.join(ROOT, "Sources", "GatewayProxy", "HealthEndpoints.swift")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# --- gateway.conf, as far as these checks need it -----------------------------------------------


def strip_comments(conf):
    return "\n".join(line.split("#", 1)[0] for line in conf.splitlines())


def listen_ports(conf):
    """Ports of every `listen HOST:PORT ...;` (a bare PORT too)."""
    ports = []
    for address in re.findall(r"^\s*listen\s+(\S+?)[\s;]", strip_comments(conf), re.M):
        ports.append(int(address.rsplit(":", 1)[-1]))
    return ports


def conf_variables(conf):
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", strip_comments(conf)))


def conf_directive_args(conf, name):
    return re.findall(r"(?:^|[{;])\s*" + name + r"\s+([^;{}]+);", strip_comments(conf), re.M)


def gateway_check(conf_path, env):
    """Runs `gateway --check -c conf_path` with exactly `env` (plus PATH); (exit code, output)."""
    result = subprocess.run(
        [GATEWAY_BIN, "--check", "-c", conf_path], env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout + result.stderr


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Dockerfile ----------------------------------------------------------------------------------

DOCKERFILE_INSTRUCTIONS = {
    "FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
    "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "MAINTAINER",
}


def dockerfile_instructions(text):
    """[(INSTRUCTION, arguments)] with continuation lines joined and comments dropped."""
    instructions, pending = [], ""
    for line in text.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if pending and line.lstrip().startswith("#"):
            continue  # a comment inside a continued instruction
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        word, _, rest = full.partition(" ")
        instructions.append((word, rest.strip()))
    if pending:
        raise ValueError("Dockerfile ends inside a continued instruction")
    return instructions


def dockerfile_stages(instructions):
    """[{'from': image, 'name': name, 'instructions': [...]}], one per FROM."""
    stages = []
    for word, rest in instructions:
        if word.upper() == "FROM":
            parts = rest.split()
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            stages.append({"from": parts[0], "name": name, "instructions": []})
        elif stages:
            stages[-1]["instructions"].append((word.upper(), rest))
    return stages


def copy_parts(rest):
    """COPY [--from=X] src... dest (the shell form) -> (from, [src], dest)."""
    words = shlex.split(rest)
    flags = [w for w in words if w.startswith("--")]
    paths = [w for w in words if not w.startswith("--")]
    source_stage = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
    return source_stage, paths[:-1], paths[-1]


def apt_packages(run_args):
    """Packages named after `apt-get install` in one RUN (options dropped)."""
    words = shlex.split(run_args.replace("&&", " && "))
    packages, collecting = [], False
    for i, word in enumerate(words):
        if word == "install" and i > 0 and words[i - 1] in ("apt-get", "apt"):
            collecting = True
            continue
        if collecting:
            if word in ("&&", ";", "|"):
                collecting = False
            elif not word.startswith("-"):
                packages.append(word)
    return packages


def dockerignore_patterns(path):
    if not os.path.exists(path):
        return []
    return [line.strip() for line in read(path).splitlines() if line.strip() and not line.startswith("#")]


# --- the binary's shared libraries ---------------------------------------------------------------

GLIBC_AND_TOOLCHAIN_C = re.compile(
    r"^(linux-vdso|ld-linux[-\w]*|libc|libm|libmvec|libdl|libpthread|librt|libutil|libresolv|libstdc\+\+|libgcc_s)\.so")


def needed(path):
    """DT_NEEDED entries of one ELF file."""
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def ldd_paths(path):
    """soname -> resolved path, from ldd."""
    out = subprocess.run(["ldd", path], capture_output=True, text=True, check=True).stdout
    resolved = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(\S+)", line)
        if m:
            resolved[m.group(1)] = m.group(2)
        elif "not found" in line:
            raise AssertionError(f"ldd {path}: {line.strip()}")
    return resolved


def runtime_libraries(binary):
    """(system libraries the binary or its Swift runtime libraries link directly, swift libs).

    System libraries are soname -> path, without glibc, libstdc++ and libgcc_s (in every
    Debian image) and without the Swift runtime (copied from the build stage)."""
    paths = ldd_paths(binary)
    # The Swift runtime is the folder libswiftCore.so was found in (the toolchain's).
    swift_dir = os.path.dirname(os.path.realpath(paths["libswiftCore.so"]))
    swift_libs = {name for name, p in paths.items() if os.path.dirname(os.path.realpath(p)) == swift_dir}
    direct = set(needed(binary))
    for name in swift_libs:
        direct |= set(needed(paths[name]))
    system = {}
    for name in direct:
        if GLIBC_AND_TOOLCHAIN_C.match(name) or name in swift_libs:
            continue
        if name not in paths:
            raise AssertionError(f"{name} is needed but ldd did not resolve it")
        system[name] = paths[name]
    return system, swift_libs


def debian_package(path):
    """The Debian package that installed `path` (architecture suffix dropped)."""
    for candidate in (path, os.path.realpath(path)):
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
        # /lib is a symlink to /usr/lib on merged-/usr Debian; dpkg knows one spelling.
        alt = candidate.replace("/usr/lib/", "/lib/", 1) if candidate.startswith("/usr/lib/") \
            else candidate.replace("/lib/", "/usr/lib/", 1)
        result = subprocess.run(["dpkg", "-S", alt], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    raise AssertionError(f"dpkg -S finds no package for {path}")


# --- tests ---------------------------------------------------------------------------------------


class SystemdUnitTests(unittest.TestCase):
    UNIT = os.path.join(DEPLOY, "systemd", "gateway.service")

    def setUp(self):
        self.text = read(self.UNIT)
        self.settings = {}
        section = None
        for line in self.text.splitlines():
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("["):
                section = line.strip("[]")
                continue
            key, _, value = line.partition("=")
            self.settings.setdefault((section, key.strip()), []).append(value.strip())

    def value(self, key, section="Service"):
        values = self.settings.get((section, key))
        self.assertIsNotNone(values, f"gateway.service has no {key}= in [{section}]")
        return values[-1]

    def unit_with_binary(self, directory):
        """A copy of the unit whose Exec lines run the built binary (verify needs it to exist)."""
        path = os.path.join(directory, "gateway.service")
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.text.replace("/usr/local/bin/gateway", GATEWAY_BIN))
        return path

    def test_systemd_analyze_verify_is_clean(self):
        self.assertTrue(os.access(GATEWAY_BIN, os.X_OK), f"no gateway binary at {GATEWAY_BIN}")
        with tempfile.TemporaryDirectory() as tmp:
            unit = self.unit_with_binary(tmp)
            result = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True, timeout=60)
            output = (result.stdout + result.stderr).strip()
            self.assertEqual(result.returncode, 0, output)
            self.assertEqual(output, "", "systemd-analyze verify printed warnings")

    def test_security_exposure_is_ok(self):
        with tempfile.TemporaryDirectory() as tmp:
            unit = self.unit_with_binary(tmp)
            result = subprocess.run(["systemd-analyze", "security", "--offline=yes", unit],
                                    capture_output=True, text=True, timeout=60)
            m = re.search(r"Overall exposure level for \S+: ([0-9.]+) (\S+)", result.stdout)
            self.assertIsNotNone(m, result.stdout + result.stderr)
            self.assertLessEqual(float(m.group(1)), 2.0, f"exposure {m.group(1)} {m.group(2)}")

    def test_hardening(self):
        user = self.settings.get(("Service", "User"))
        self.assertTrue(self.settings.get(("Service", "DynamicUser")) == ["yes"] or user and user[-1] not in ("root", "0"),
                        "needs DynamicUser=yes or a dedicated User=")
        for key, want in [("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes"),
                          ("NoNewPrivileges", "yes"), ("Restart", "on-failure")]:
            self.assertEqual(self.value(key), want, key)
        self.assertEqual(set(self.value("RestrictAddressFamilies").split()), {"AF_INET", "AF_INET6", "AF_UNIX"})
        self.assertIn("@system-service", self.settings[("Service", "SystemCallFilter")])
        self.assertGreaterEqual(int(self.value("LimitNOFILE")), 20064, "max_connections 10000 needs 2*10000+64")
        # No capability by default; the variant for ports below 1024 is there, commented out.
        self.assertEqual(self.value("CapabilityBoundingSet"), "")
        self.assertEqual(self.value("AmbientCapabilities"), "")
        self.assertRegex(self.text, r"(?m)^#\s*CapabilityBoundingSet=CAP_NET_BIND_SERVICE\s*$")
        self.assertRegex(self.text, r"(?m)^#\s*AmbientCapabilities=CAP_NET_BIND_SERVICE\s*$")

    def test_exec_lines(self):
        start = shlex.split(self.value("ExecStart"))
        pre = shlex.split(self.value("ExecStartPre"))
        self.assertEqual(start[0], "/usr/local/bin/gateway")
        self.assertEqual(start[1:3], ["-c", "/etc/gateway/gateway.conf"])
        self.assertEqual(pre, [start[0], "--check", "-c", start[2]], "ExecStartPre checks ExecStart's config")
        reload = shlex.split(self.value("ExecReload"))
        self.assertEqual(os.path.basename(reload[0]), "kill")
        self.assertEqual(reload[1:], ["-HUP", "$MAINPID"])
        self.assertTrue(os.access(reload[0], os.X_OK), reload[0])

    def test_exec_start_pre_refuses_a_bad_config(self):
        """ExecStartPre's command, on the built binary: 0 for a valid file, 1 for a broken one."""
        pre = shlex.split(self.value("ExecStartPre").replace("/usr/local/bin/gateway", GATEWAY_BIN))
        with tempfile.TemporaryDirectory() as tmp:
            conf = os.path.join(tmp, "gateway.conf")
            args = [conf if a == "/etc/gateway/gateway.conf" else a for a in pre]
            with open(conf, "w") as f:
                f.write("listen 127.0.0.1:8080;\nupstream a { server 127.0.0.1:3000; }\n"
                        "location / { auth off; proxy_pass a; }\n")
            self.assertEqual(subprocess.run(args, capture_output=True).returncode, 0)
            with open(conf, "w") as f:
                f.write("listen 127.0.0.1:8080;\nlocation / { auth off; proxy_pass nowhere; }\n")
            result = subprocess.run(args, capture_output=True, text=True)
            self.assertEqual(result.returncode, 1)
            self.assertIn("gateway.conf:2:", result.stdout + result.stderr)


class ContainerTests(unittest.TestCase):
    DIR = os.path.join(DEPLOY, "container")

    def setUp(self):
        self.dockerfile = read(os.path.join(self.DIR, "Dockerfile"))
        self.instructions = dockerfile_instructions(self.dockerfile)
        self.stages = dockerfile_stages(self.instructions)
        self.runtime = self.stages[-1]
        self.compose = yaml.safe_load(read(os.path.join(self.DIR, "compose.yaml")))
        self.conf_path = os.path.join(self.DIR, "gateway.conf")
        self.conf = read(self.conf_path)

    def runtime_instructions(self, word):
        return [rest for w, rest in self.runtime["instructions"] if w == word]

    def test_dockerfile_is_well_formed_and_multi_stage(self):
        for word, rest in self.instructions:
            self.assertIn(word, DOCKERFILE_INSTRUCTIONS, f"unknown instruction {word!r}")
            self.assertEqual(word, word.upper(), f"instruction {word!r} in lower case")
            self.assertTrue(rest, f"{word} without arguments")
        args = {}
        for word, rest in self.instructions:
            if word == "ARG" and "=" in rest:
                key, _, value = rest.partition("=")
                args[key] = value
        images = [re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), s["from"]) for s in self.stages]
        self.assertEqual(len(self.stages), 2, images)
        self.assertRegex(images[0], r"^swift:6\.\d+(-bookworm)?$")
        self.assertEqual(images[1], "debian:bookworm-slim")
        self.assertEqual(self.stages[0]["name"], "build")
        build_runs = " ".join(rest for w, rest in self.stages[0]["instructions"] if w == "RUN")
        self.assertIn("swift build -c release", build_runs)
        for label, value in [("ENTRYPOINT", self.runtime_instructions("ENTRYPOINT")),
                             ("CMD", self.runtime_instructions("CMD"))]:
            self.assertEqual(len(value), 1, label)
            yaml.safe_load(value[0])  # exec form: a JSON array

    def test_copied_paths_exist_and_are_not_ignored(self):
        ignored = dockerignore_patterns(os.path.join(self.DIR, "Dockerfile.dockerignore"))
        copies = 0
        for stage in self.stages:
            for word, rest in stage["instructions"]:
                if word not in ("COPY", "ADD"):
                    continue
                source_stage, sources, _ = copy_parts(rest)
                if source_stage:
                    continue
                for source in sources:
                    copies += 1
                    self.assertTrue(os.path.exists(os.path.join(ROOT, source)), f"COPY {source}: not in the repository")
                    top = source.rstrip("/").split("/")[0]
                    self.assertNotIn(top, ignored, f"COPY {source} is excluded by Dockerfile.dockerignore")
        self.assertGreaterEqual(copies, 4)
        for pattern in (".build", ".git"):
            self.assertIn(pattern, ignored)

    def test_runtime_user_port_health_check_and_config(self):
        users = self.runtime_instructions("USER")
        self.assertTrue(users, "the runtime stage sets no USER")
        self.assertNotIn(users[-1].split(":")[0], ("root", "0"))
        port = listen_ports(self.conf)
        self.assertEqual(len(port), 1)
        self.assertEqual([int(p) for e in self.runtime_instructions("EXPOSE") for p in e.split()], port)
        # The shipped config is what CMD runs.
        copies = [copy_parts(r) for r in self.runtime_instructions("COPY")]
        conf_dest = [dest for stage, srcs, dest in copies if srcs == ["deploy/container/gateway.conf"]]
        self.assertEqual(conf_dest, ["/etc/gateway/gateway.conf"])
        self.assertEqual(yaml.safe_load(self.runtime_instructions("CMD")[0]), ["-c", conf_dest[0]])
        health = self.runtime_instructions("HEALTHCHECK")
        self.assertEqual(len(health), 1)
        self.assertIn("/healthz", health[0])
        self.assertIn(f"/127.0.0.1/{port[0]}", health[0])

    def health_check_command(self, port):
        rest = self.runtime_instructions("HEALTHCHECK")[0]
        command = yaml.safe_load(rest[rest.index("CMD") + 3:].strip())
        container_port = listen_ports(self.conf)[0]
        return [part.replace(f"/127.0.0.1/{container_port}", f"/127.0.0.1/{port}") for part in command]

    def test_health_check_command_against_a_running_gateway(self):
        """The HEALTHCHECK's exact command (bash /dev/tcp), aimed at a gateway on a test port."""
        port = free_port()
        with tempfile.TemporaryDirectory() as tmp:
            conf = os.path.join(tmp, "gateway.conf")
            with open(conf, "w") as f:
                f.write(f"listen 127.0.0.1:{port};\nworkers 1;\naccess_log off;\n"
                        "upstream a { server 127.0.0.1:9; }\nlocation / { auth off; proxy_pass a; }\n")
            command = self.health_check_command(port)
            self.assertNotEqual(subprocess.run(command, capture_output=True, timeout=10).returncode, 0,
                                "the health check passes with no gateway running")
            log = open(os.path.join(tmp, "gateway.log"), "w+")
            gateway = subprocess.Popen([GATEWAY_BIN, "-c", conf], stdout=subprocess.DEVNULL, stderr=log)
            try:
                deadline = time.monotonic() + 20
                while True:
                    result = subprocess.run(command, capture_output=True, text=True, timeout=10)
                    if result.returncode == 0:
                        break
                    if gateway.poll() is not None:
                        log.seek(0)
                        self.fail(f"the gateway exited: {log.read()}")
                    self.assertLess(time.monotonic(), deadline, result.stderr)
                    time.sleep(0.1)
            finally:
                gateway.terminate()
                gateway.wait(timeout=20)
                log.close()

    def test_runtime_packages_are_what_the_binary_links(self):
        self.assertTrue(os.access(GATEWAY_BIN, os.X_OK), f"no gateway binary at {GATEWAY_BIN}")
        system, swift_libs = runtime_libraries(GATEWAY_BIN)
        wanted = {debian_package(path) for path in system.values()}
        installed = [p for r in self.runtime_instructions("RUN") for p in apt_packages(r)]
        self.assertIn("ca-certificates", installed, "HTTPS calls to providers need the CA store")
        libraries = set(installed) - {"ca-certificates"}
        self.assertEqual(libraries, wanted, f"ldd of {GATEWAY_BIN} needs {sorted(system.items())}")
        # Debian does not package the Swift runtime: a release build links it statically, so
        # the image needs no copy of it. (This binary is a debug build, which links it
        # dynamically: its Swift libraries are where the system libraries above came from.)
        self.assertTrue(swift_libs, "no Swift runtime library found to read the system libraries from")
        package = read(os.path.join(ROOT, "Package.swift"))
        self.assertRegex(package, r'\.unsafeFlags\(\["-static-stdlib"\], \.when\(configuration: \.release\)\)',
                         "a release build no longer links the Swift runtime statically: the image would need it")
        copies = [copy_parts(r) for r in self.runtime_instructions("COPY")]
        self.assertFalse([c for c in copies if any("/usr/lib/swift" in s for s in c[1])],
                         "the image copies a Swift runtime that the release binary does not load")

    def test_compose_services(self):
        services = self.compose["services"]
        self.assertEqual(set(services), {"gateway", "redis", "demo-app"})
        gateway, redis, demo = services["gateway"], services["redis"], services["demo-app"]
        compose_dir = self.DIR
        context = os.path.normpath(os.path.join(compose_dir, gateway["build"]["context"]))
        self.assertEqual(context, ROOT)
        self.assertTrue(os.path.samefile(os.path.join(context, gateway["build"]["dockerfile"]),
                                         os.path.join(self.DIR, "Dockerfile")))
        # Published port -> the port gateway.conf listens on; loopback only on the host.
        port = listen_ports(self.conf)[0]
        published = [p.rsplit(":", 2) for p in gateway["ports"]]
        self.assertEqual([(h, int(c)) for h, _, c in published], [("127.0.0.1", port)])
        # Every ${VAR} of gateway.conf is set for the gateway.
        self.assertEqual(conf_variables(self.conf) - set(gateway["environment"]), set())
        # Redis keeps an append-only file, on a volume.
        command = redis["command"]
        self.assertEqual(command[command.index("--appendonly") + 1], "yes")
        self.assertTrue(any(v.endswith(":/data") for v in redis["volumes"]))
        store = conf_directive_args(self.conf, "store")[0].strip()
        m = re.fullmatch(r"redis://(?:[^@]*@)?([^:/]+)(?::(\d+))?(?:/\d+)?", store)
        self.assertIsNotNone(m, store)
        self.assertEqual(m.group(1), "redis", "the session store is the compose service")
        self.assertEqual(int(m.group(2) or 6379), 6379)
        # The demo app shares the gateway's network and listens where the upstream points.
        self.assertEqual(demo["network_mode"], "service:gateway")
        servers = [s.strip() for s in conf_directive_args(self.conf, "server")]
        command = demo["command"]
        self.assertEqual(servers, [f"127.0.0.1:{command[command.index('--port') + 1]}"])
        mounted = {}
        for volume in demo["volumes"]:
            source, target = volume.split(":")[:2]
            mounted[target] = os.path.normpath(os.path.join(compose_dir, source))
        script = command[1]
        self.assertEqual(mounted.get(script), os.path.join(DEPLOY, "demo-app.py"))


class KubernetesTests(unittest.TestCase):
    DIR = os.path.join(DEPLOY, "kubernetes")

    def setUp(self):
        self.docs = {}
        for name in sorted(os.listdir(self.DIR)):
            if name.endswith(".yaml"):
                for doc in yaml.safe_load_all(read(os.path.join(self.DIR, name))):
                    self.docs.setdefault(doc["kind"], []).append(doc)
        self.deployment = self.one("Deployment")
        self.configmap = self.one("ConfigMap")
        self.secret = self.one("Secret")
        self.service = self.one("Service")
        self.pdb = self.one("PodDisruptionBudget")
        self.pod = self.deployment["spec"]["template"]["spec"]
        self.container = self.pod["containers"][0]
        self.conf = self.configmap["data"]["gateway.conf"]

    def one(self, kind):
        self.assertEqual(len(self.docs.get(kind, [])), 1, f"one {kind} expected")
        return self.docs[kind][0]

    def test_kustomization_lists_every_manifest(self):
        kustomization = self.docs["Kustomization"][0]
        files = sorted(n for n in os.listdir(self.DIR) if n.endswith(".yaml") and n != "kustomization.yaml")
        self.assertEqual(sorted(kustomization["resources"]), files)

    def test_ports_and_probes_match_gateway_conf(self):
        port = listen_ports(self.conf)
        self.assertEqual(len(port), 1)
        ports = {p["name"]: p["containerPort"] for p in self.container["ports"]}
        self.assertEqual(list(ports.values()), port)
        health_source = read(HEALTH_SOURCE)
        for probe, path in [("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")]:
            get = self.container[probe]["httpGet"]
            self.assertEqual(get["path"], path, probe)
            self.assertEqual(ports.get(get["port"], get["port"]), port[0], probe)
            self.assertIn(f'"{path}"', health_source, f"the gateway does not answer {path}")
        target = self.service["spec"]["ports"][0]["targetPort"]
        self.assertEqual(ports.get(target, target), port[0])
        labels = self.deployment["spec"]["template"]["metadata"]["labels"]
        for selector in (self.service["spec"]["selector"], self.pdb["spec"]["selector"]["matchLabels"],
                         self.deployment["spec"]["selector"]["matchLabels"]):
            self.assertTrue(selector.items() <= labels.items(), selector)

    def test_security_context_and_resources(self):
        pod, box = self.pod.get("securityContext", {}), self.container["securityContext"]
        self.assertTrue(pod.get("runAsNonRoot") or box.get("runAsNonRoot"))
        self.assertNotEqual(pod.get("runAsUser", box.get("runAsUser")), 0)
        self.assertIs(box["readOnlyRootFilesystem"], True)
        self.assertIs(box["allowPrivilegeEscalation"], False)
        self.assertEqual(box["capabilities"]["drop"], ["ALL"])
        # The image's user (deploy/container/Dockerfile) is the one the pod runs as.
        users = [rest for word, rest in dockerfile_instructions(read(os.path.join(DEPLOY, "container", "Dockerfile")))
                 if word == "USER"]
        self.assertEqual(users[-1].split(":")[0], str(pod.get("runAsUser", box.get("runAsUser"))))
        resources = self.container["resources"]
        for kind in ("requests", "limits"):
            self.assertEqual(set(resources[kind]), {"cpu", "memory"}, kind)
        workers = conf_directive_args(self.conf, "workers")
        self.assertEqual([int(w) for w in workers], [int(float(resources["limits"]["cpu"]))],
                         "workers should match the CPU limit (the default is the node's cores)")
        self.assertEqual(self.pdb["apiVersion"], "policy/v1")
        self.assertGreaterEqual(self.deployment["spec"]["replicas"], self.pdb["spec"]["minAvailable"] + 1)

    def test_config_is_mounted_where_args_read_it_and_secrets_come_from_the_secret(self):
        args = self.container["args"]
        conf_path = args[args.index("-c") + 1]
        mounts = {m["name"]: m for m in self.container["volumeMounts"]}
        volumes = {v["name"]: v for v in self.pod["volumes"]}
        config_volume = [n for n, v in volumes.items()
                         if v.get("configMap", {}).get("name") == self.configmap["metadata"]["name"]]
        self.assertEqual(len(config_volume), 1)
        mount = mounts[config_volume[0]]
        self.assertIs(mount["readOnly"], True)
        self.assertEqual(os.path.join(mount["mountPath"], "gateway.conf"), conf_path)
        # Every ${VAR} in gateway.conf is set by the Deployment, from a key the Secret has.
        env = {e["name"]: e for e in self.container.get("env", [])}
        secret_keys = set(self.secret.get("stringData", {})) | set(self.secret.get("data", {}))
        for name in sorted(conf_variables(self.conf)):
            self.assertIn(name, env, f"gateway.conf reads ${{{name}}}, which the Deployment does not set")
            ref = env[name].get("valueFrom", {}).get("secretKeyRef")
            self.assertIsNotNone(ref, f"{name} should come from the Secret")
            self.assertEqual(ref["name"], self.secret["metadata"]["name"])
            self.assertIn(ref["key"], secret_keys)
        # Every file the config names is under a mounted path.
        for directive in ("ca_file", "include"):
            for path in conf_directive_args(self.conf, directive):
                path = path.strip()
                self.assertTrue(any(path.startswith(m["mountPath"] + "/") for m in mounts.values()), path)
        # Placeholders only.
        for key, value in self.secret["stringData"].items():
            self.assertEqual(value, "CHANGE-ME", key)


class ShippedConfigTests(unittest.TestCase):
    """`gateway --check` on the configs the container image and the ConfigMap ship."""

    def check(self, conf_text, env):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "gateway.conf")
            with open(path, "w", encoding="utf-8") as f:
                f.write(conf_text)
            return gateway_check(path, env)

    @staticmethod
    def generated_secrets(names):
        return {name: "test-" + os.urandom(24).hex() for name in names}

    def test_container_config_passes_check(self):
        path = os.path.join(DEPLOY, "container", "gateway.conf")
        names = conf_variables(read(path))
        env = self.generated_secrets(names)
        env.update(GATEWAY_PUBLIC_URL="http://127.0.0.1:8080", OIDC_ISSUER="https://login.example.com")
        code, output = gateway_check(path, env)
        self.assertEqual(code, 0, output)
        # Each variable is needed: without it the check fails and names it.
        for name in sorted(names):
            code, output = gateway_check(path, {k: v for k, v in env.items() if k != name})
            self.assertEqual(code, 1, name)
            self.assertIn(name, output)

    def test_configmap_config_passes_check_with_real_secrets_only(self):
        docs = list(yaml.safe_load_all(read(os.path.join(DEPLOY, "kubernetes", "configmap.yaml"))))
        conf = docs[0]["data"]["gateway.conf"]
        secret = yaml.safe_load(read(os.path.join(DEPLOY, "kubernetes", "secret.yaml")))
        code, output = self.check(conf, self.generated_secrets(conf_variables(conf)))
        self.assertEqual(code, 0, output)
        # With the Secret's placeholders as they ship, the cookie secret is refused.
        code, output = self.check(conf, secret["stringData"])
        self.assertEqual(code, 1, output)
        self.assertIn("cookie_secret", output)

    def test_example_config_passes_check(self):
        """gateway.conf.example, the file the systemd unit's install note copies."""
        path = os.path.join(ROOT, "gateway.conf.example")
        code, output = gateway_check(path, self.generated_secrets(conf_variables(read(path))))
        self.assertEqual(code, 0, output)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[1:]])
